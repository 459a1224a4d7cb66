package dev.sealpost.imap.search;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed SORT command (RFC 5256 §3): {@code [RETURN (options)] (criteria) charset keys}, the
 * RETURN clause being RFC 5267 ESORT.
 *
 * @param returnOptions ESORT options; empty for the classic {@code * SORT} response
 * @param partial       the RFC 9394 range with {@link ReturnOption#PARTIAL}, else null
 * @param extended      true when a RETURN clause was present (answer with ESEARCH)
 */
public record SortCommand(List<SortCriterion> criteria, Set<ReturnOption> returnOptions, PartialRange partial,
                          String charset, SearchKey key, boolean extended) {

    public SortCommand {
        criteria = List.copyOf(criteria);
        returnOptions = Set.copyOf(returnOptions);
    }

    /**
     * Parses the arguments after {@code SORT} (or {@code UID SORT}).
     *
     * @throws ImapSyntaxException when they do not follow the grammar
     * @throws BadCharsetException for an unknown charset
     */
    public static SortCommand parse(List<Arg> args) throws ImapSyntaxException, BadCharsetException {
        SearchParser p = new SearchParser(args);
        SearchParser.Returns r = p.returns(true);
        if (!(p.next("sort criteria") instanceof Arg.ListArg list) || list.items().isEmpty()) {
            throw new ImapSyntaxException("SORT needs a list of criteria");
        }
        List<SortCriterion> criteria = new ArrayList<>();
        boolean reverse = false;
        for (Arg a : list.items()) {
            if (!(a instanceof Arg.Atom atom)) throw new ImapSyntaxException("invalid sort criterion");
            String w = atom.value().toUpperCase(Locale.ROOT);
            if (w.equals("REVERSE")) {
                if (reverse) throw new ImapSyntaxException("REVERSE REVERSE");
                reverse = true;
                continue;
            }
            SortCriterion.Key key;
            try {
                key = SortCriterion.Key.valueOf(w);
            } catch (IllegalArgumentException e) {
                throw new ImapSyntaxException("unknown sort criterion: " + atom.value());
            }
            criteria.add(new SortCriterion(key, reverse));
            reverse = false;
        }
        if (reverse) throw new ImapSyntaxException("REVERSE needs a sort key");
        String charset = p.charset(); // RFC 5256 §3: the charset is mandatory
        SearchKey key = p.keys();
        if (r == null) return new SortCommand(criteria, Set.of(), null, charset, key, false);
        return new SortCommand(criteria, r.options(), r.partial(), charset, key, true);
    }
}
