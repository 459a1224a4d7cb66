package dev.sealpost.imap.search;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.SequenceSet;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The shared grammar of SEARCH, SORT and THREAD arguments (RFC 9051 §9 search-key, RFC 4731, RFC 5256). */
final class SearchParser {
    /** Deepest nesting of NOT / OR / parenthesized lists accepted. */
    static final int MAX_DEPTH = 100;
    /** Most keys in one command. */
    static final int MAX_KEYS = 10_000;

    private final List<Arg> args;
    int pos;
    private Charset charset = StandardCharsets.UTF_8;
    private int keys;

    SearchParser(List<Arg> args) {
        this.args = args;
    }

    boolean atEnd() {
        return pos >= args.size();
    }

    Arg next(String what) throws ImapSyntaxException {
        if (atEnd()) throw new ImapSyntaxException("missing " + what);
        return args.get(pos++);
    }

    boolean peekAtom(String word) {
        return !atEnd() && args.get(pos) instanceof Arg.Atom a && a.is(word);
    }

    String atom(String what) throws ImapSyntaxException {
        if (next(what) instanceof Arg.Atom a) return a.value();
        throw new ImapSyntaxException("expected " + what);
    }

    /** Reads a charset name and uses it for the strings that follow (RFC 9051 §6.4.4). */
    String charset() throws ImapSyntaxException, BadCharsetException {
        Arg a = next("charset");
        String name = Arg.text(a);
        if (name == null || name.isEmpty()) throw new ImapSyntaxException("expected a charset name");
        try {
            charset = Charset.forName(name);
        } catch (IllegalArgumentException e) { // IllegalCharsetNameException, UnsupportedCharsetException
            throw new BadCharsetException(name);
        }
        return charset.name();
    }

    /** {@code RETURN (options)} when present (RFC 4731 §3.1); null when absent. */
    Returns returns(boolean sort) throws ImapSyntaxException {
        if (!peekAtom("RETURN")) return null;
        pos++;
        if (!(next("return options") instanceof Arg.ListArg list)) throw new ImapSyntaxException("RETURN needs a list");
        Set<ReturnOption> opts = EnumSet.noneOf(ReturnOption.class);
        boolean save = false;
        PartialRange partial = null;
        List<Arg> items = list.items();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Arg.Atom a)) throw new ImapSyntaxException("invalid return option");
            switch (a.value().toUpperCase(Locale.ROOT)) {
                case "MIN" -> opts.add(ReturnOption.MIN);
                case "MAX" -> opts.add(ReturnOption.MAX);
                case "ALL" -> opts.add(ReturnOption.ALL);
                case "COUNT" -> opts.add(ReturnOption.COUNT);
                case "UPDATE" -> opts.add(ReturnOption.UPDATE); // RFC 5267 §4.1
                case "SAVE" -> {
                    if (sort) throw new ImapSyntaxException("SAVE is not a SORT return option");
                    save = true;
                }
                case "PARTIAL" -> {
                    // RFC 9394 §3: PARTIAL SP partial-range; not together with ALL
                    if (i + 1 >= items.size() || !(items.get(i + 1) instanceof Arg.Atom r)) {
                        throw new ImapSyntaxException("PARTIAL needs a range");
                    }
                    partial = PartialRange.parse(r.value());
                    opts.add(ReturnOption.PARTIAL);
                    i++;
                }
                // RFC 4731 §3.1: an unknown return option is a syntax error
                default -> throw new ImapSyntaxException("unsupported return option: " + a.value());
            }
        }
        if (partial != null && opts.contains(ReturnOption.ALL)) throw new ImapSyntaxException("PARTIAL and ALL together");
        // RFC 4731 §3.1: RETURN () means RETURN (ALL)
        if (opts.isEmpty() && !save) opts.add(ReturnOption.ALL);
        return new Returns(opts, save, partial);
    }

    record Returns(Set<ReturnOption> options, boolean save, PartialRange partial) {}

    /** All remaining arguments as a list of keys (at least one). */
    SearchKey keys() throws ImapSyntaxException {
        List<SearchKey> out = new ArrayList<>();
        while (!atEnd()) out.add(key(0));
        if (out.isEmpty()) throw new ImapSyntaxException("missing search key");
        return out.size() == 1 ? out.getFirst() : new SearchKey.And(out);
    }

    private SearchKey key(int depth) throws ImapSyntaxException {
        if (depth > MAX_DEPTH) throw new ImapSyntaxException("search keys nested too deeply");
        if (++keys > MAX_KEYS) throw new ImapSyntaxException("too many search keys");
        Arg a = next("search key");
        if (a instanceof Arg.ListArg list) {
            if (list.items().isEmpty()) throw new ImapSyntaxException("empty search key list");
            SearchParser inner = new SearchParser(list.items());
            inner.charset = charset;
            inner.keys = keys;
            List<SearchKey> out = new ArrayList<>();
            while (!inner.atEnd()) out.add(inner.key(depth + 1));
            keys = inner.keys;
            return out.size() == 1 ? out.getFirst() : new SearchKey.And(out);
        }
        if (!(a instanceof Arg.Atom atom)) throw new ImapSyntaxException("expected a search key");
        String word = atom.value();
        if (word.equals("$")) return new SearchKey.Saved(); // RFC 5182 §2.1
        if (SequenceSet.looksLike(word)) return new SearchKey.Sequence(SequenceSet.parse(word));
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.Flag("\\Answered", true);
            case "DELETED" -> new SearchKey.Flag("\\Deleted", true);
            case "DRAFT" -> new SearchKey.Flag("\\Draft", true);
            case "FLAGGED" -> new SearchKey.Flag("\\Flagged", true);
            case "SEEN" -> new SearchKey.Flag("\\Seen", true);
            case "UNANSWERED" -> new SearchKey.Flag("\\Answered", false);
            case "UNDELETED" -> new SearchKey.Flag("\\Deleted", false);
            case "UNDRAFT" -> new SearchKey.Flag("\\Draft", false);
            case "UNFLAGGED" -> new SearchKey.Flag("\\Flagged", false);
            case "UNSEEN" -> new SearchKey.Flag("\\Seen", false);
            case "KEYWORD" -> new SearchKey.Flag(flagKeyword(), true);
            case "UNKEYWORD" -> new SearchKey.Flag(flagKeyword(), false);
            case "RECENT" -> new SearchKey.Recent();
            case "NEW" -> new SearchKey.New();
            case "OLD" -> new SearchKey.Old();
            case "FROM", "TO", "CC", "BCC" -> new SearchKey.Address(word.toLowerCase(Locale.ROOT), string("address"));
            case "SUBJECT" -> new SearchKey.Header("subject", string("subject"));
            case "HEADER" -> {
                String name = string("header field name");
                if (name.isEmpty() || name.length() > 998 || name.chars().anyMatch(c -> c <= ' ' || c == ':' || c >= 127)) {
                    throw new ImapSyntaxException("invalid header field name");
                }
                yield new SearchKey.Header(name.toLowerCase(Locale.ROOT), string("header value"));
            }
            case "BODY" -> new SearchKey.Body(string("body text"));
            case "TEXT" -> new SearchKey.Text(string("text"));
            case "BEFORE" -> new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.BEFORE, date());
            case "ON" -> new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.ON, date());
            case "SINCE" -> new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.SINCE, date());
            case "SENTBEFORE" -> new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.BEFORE, date());
            case "SENTON" -> new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.ON, date());
            case "SENTSINCE" -> new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.SINCE, date());
            case "SAVEDBEFORE" -> new SearchKey.DateKey(SearchKey.DateField.SAVED, SearchKey.DateOp.BEFORE, date());
            case "SAVEDON" -> new SearchKey.DateKey(SearchKey.DateField.SAVED, SearchKey.DateOp.ON, date());
            case "SAVEDSINCE" -> new SearchKey.DateKey(SearchKey.DateField.SAVED, SearchKey.DateOp.SINCE, date());
            case "SAVEDATESUPPORTED" -> new SearchKey.SaveDateSupported();
            case "LARGER" -> new SearchKey.Size(true, number64("LARGER"));
            case "SMALLER" -> new SearchKey.Size(false, number64("SMALLER"));
            case "NOT" -> new SearchKey.Not(key(depth + 1));
            case "OR" -> {
                SearchKey l = key(depth + 1);
                yield new SearchKey.Or(l, key(depth + 1));
            }
            case "UID" -> {
                String set = atom("UID set");
                yield set.equals("$") ? new SearchKey.Saved() : new SearchKey.Uid(SequenceSet.parse(set));
            }
            case "MODSEQ" -> modSeq();
            case "OLDER" -> new SearchKey.Within(true, nzNumber("OLDER"));
            case "YOUNGER" -> new SearchKey.Within(false, nzNumber("YOUNGER"));
            case "EMAILID" -> new SearchKey.EmailId(objectId());
            case "THREADID" -> new SearchKey.ThreadId(objectId());
            default -> throw new ImapSyntaxException("unknown search key: " + word);
        };
    }

    /** RFC 7162 §3.1.5: MODSEQ [SP entry-name SP entry-type-req] SP mod-sequence-valzer. */
    private SearchKey modSeq() throws ImapSyntaxException {
        Arg a = next("MODSEQ value");
        String entry = null, type = null;
        if (a instanceof Arg.Str s) {
            entry = s.text();
            if (!entry.toLowerCase(Locale.ROOT).startsWith("/flags/")) throw new ImapSyntaxException("invalid MODSEQ entry name");
            type = atom("MODSEQ entry type").toLowerCase(Locale.ROOT);
            if (!type.equals("priv") && !type.equals("shared") && !type.equals("all")) {
                throw new ImapSyntaxException("invalid MODSEQ entry type");
            }
            a = next("MODSEQ value");
        }
        if (!(a instanceof Arg.Atom v)) throw new ImapSyntaxException("invalid MODSEQ value");
        long n = parseNumber(v.value(), "MODSEQ");
        return new SearchKey.ModSeq(entry, type, n);
    }

    private String objectId() throws ImapSyntaxException {
        String id = Arg.text(next("object id"));
        // RFC 8474 §4: objectid = 1*255(ALPHA / DIGIT / "_" / "-")
        if (id == null || id.isEmpty() || id.length() > 255
                || !id.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            throw new ImapSyntaxException("invalid object id");
        }
        return id;
    }

    private String flagKeyword() throws ImapSyntaxException {
        String k = atom("keyword");
        if (k.isEmpty() || k.chars().anyMatch(c -> c <= ' ' || c == '(' || c == ')' || c == '{' || c == '"' || c == '%' || c == '*' || c == ']')) {
            throw new ImapSyntaxException("invalid keyword: " + k);
        }
        return k;
    }

    /** An astring: an atom, or a quoted string or literal decoded in the command's charset. */
    private String string(String what) throws ImapSyntaxException {
        return switch (next(what)) {
            case Arg.Atom a -> a.value();
            case Arg.Str s -> new String(s.value(), charset);
            case Arg.ListArg l -> throw new ImapSyntaxException("expected " + what);
        };
    }

    private LocalDate date() throws ImapSyntaxException {
        String s = Arg.text(next("date"));
        LocalDate d = DateTimes.imapDate(s);
        if (d == null) throw new ImapSyntaxException("invalid date: " + s);
        return d;
    }

    private long number64(String what) throws ImapSyntaxException {
        return parseNumber(atom(what), what);
    }

    private long nzNumber(String what) throws ImapSyntaxException {
        long n = parseNumber(atom(what), what);
        if (n == 0 || n > 0xFFFFFFFFL) throw new ImapSyntaxException("invalid " + what + " interval");
        return n;
    }

    private static long parseNumber(String s, String what) throws ImapSyntaxException {
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ImapSyntaxException("invalid number for " + what + ": " + s);
        }
        try {
            return Long.parseLong(s); // RFC 9051 number64 is at most 2^63-1
        } catch (NumberFormatException e) {
            throw new ImapSyntaxException("number too large for " + what);
        }
    }
}
