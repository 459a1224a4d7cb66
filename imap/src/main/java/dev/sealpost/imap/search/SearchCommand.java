package dev.sealpost.imap.search;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;

import java.util.List;
import java.util.Set;

/**
 * A parsed SEARCH command (RFC 9051 §6.4.4): {@code [RETURN (options)] [CHARSET name] keys}.
 *
 * @param returnOptions the RFC 4731 result options; empty when the command had no RETURN clause
 *                      (classic {@code * SEARCH} response, the IMAP4rev1 form) or only {@code RETURN (SAVE)}.
 *                      {@code RETURN ()} is read as {@code RETURN (ALL)}.
 * @param returnSave    RFC 5182 SAVE: keep the result as {@code $}
 * @param partial       the RFC 9394 range when {@link ReturnOption#PARTIAL} is requested, else null
 * @param charset       the canonical name of the CHARSET given, or null when none was
 * @param key           the search criteria (several top-level keys are an {@link SearchKey.And})
 * @param extended      true when a RETURN clause was present: answer with ESEARCH (or nothing,
 *                      for SAVE alone, RFC 5182 §2.4)
 */
public record SearchCommand(Set<ReturnOption> returnOptions, boolean returnSave, PartialRange partial,
                            String charset, SearchKey key, boolean extended) {

    public SearchCommand {
        returnOptions = Set.copyOf(returnOptions);
    }

    /**
     * Parses the arguments after {@code SEARCH} (or {@code UID SEARCH}).
     *
     * @throws ImapSyntaxException when they do not follow the grammar (answer BAD)
     * @throws BadCharsetException for an unknown charset (answer {@code NO [BADCHARSET ...]})
     */
    public static SearchCommand parse(List<Arg> args) throws ImapSyntaxException, BadCharsetException {
        SearchParser p = new SearchParser(args);
        SearchParser.Returns r = p.returns(false);
        String charset = null;
        if (p.peekAtom("CHARSET")) {
            p.pos++;
            charset = p.charset();
        }
        SearchKey key = p.keys();
        if (r == null) return new SearchCommand(Set.of(), false, null, charset, key, false);
        return new SearchCommand(r.options(), r.save(), r.partial(), charset, key, true);
    }

    /** True when the response carries MODSEQ (RFC 7162 §3.1.5: a MODSEQ key was used). */
    public boolean usesModSeq() {
        return SearchKey.usesModSeq(key);
    }

    /** True when the criteria refer to the saved result {@code $} (RFC 5182). */
    public boolean usesSaved() {
        return SearchKey.usesSaved(key);
    }

    /**
     * Which of the results to keep as {@code $} when {@link #returnSave()} (RFC 5182 §2.4): all of
     * them, unless MIN and/or MAX were asked without ALL, COUNT or PARTIAL, in which case only those.
     *
     * @param results the matches in ascending order
     */
    public List<Long> resultToSave(List<Long> results) {
        boolean minMaxOnly = (returnOptions.contains(ReturnOption.MIN) || returnOptions.contains(ReturnOption.MAX))
                && !returnOptions.contains(ReturnOption.ALL) && !returnOptions.contains(ReturnOption.COUNT)
                && !returnOptions.contains(ReturnOption.PARTIAL);
        if (!minMaxOnly || results.isEmpty()) return List.copyOf(results);
        Long min = results.getFirst(), max = results.getLast();
        if (returnOptions.contains(ReturnOption.MIN) && returnOptions.contains(ReturnOption.MAX)) {
            return min.equals(max) ? List.of(min) : List.of(min, max);
        }
        return List.of(returnOptions.contains(ReturnOption.MIN) ? min : max);
    }
}
