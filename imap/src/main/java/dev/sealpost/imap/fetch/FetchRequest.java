package dev.sealpost.imap.fetch;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The data items of one FETCH command (RFC 9051 §6.4.5) with the extensions' items: BINARY (RFC
 * 3516), PREVIEW (RFC 8970), EMAILID / THREADID (RFC 8474), SAVEDATE (RFC 8514), MODSEQ and the
 * CHANGEDSINCE / VANISHED modifiers (RFC 7162). Immutable.
 */
public final class FetchRequest {

    /** Data items without a section. */
    public enum Attr {
        UID, FLAGS, INTERNALDATE, RFC822_SIZE, ENVELOPE,
        /** {@code BODY} without a section: the non-extensible BODYSTRUCTURE. */
        BODY,
        BODYSTRUCTURE, RFC822, RFC822_HEADER, RFC822_TEXT, MODSEQ, EMAILID, THREADID, SAVEDATE, PREVIEW;

        String wire() {
            return switch (this) {
                case RFC822_SIZE -> "RFC822.SIZE";
                case RFC822_HEADER -> "RFC822.HEADER";
                case RFC822_TEXT -> "RFC822.TEXT";
                default -> name();
            };
        }
    }

    /** One requested data item. */
    public sealed interface Item {}

    /** An item without a section. */
    public record Simple(Attr attr) implements Item {}

    /** What a section refers to after its part numbers (RFC 9051 §9 section-msgtext / section-text). */
    public enum Text { NONE, HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT, MIME }

    /** {@code BODY[...]}, {@code BINARY[...]} or {@code BINARY.SIZE[...]}. */
    public enum Kind { BODY, BINARY, BINARY_SIZE }

    /**
     * A section item.
     *
     * @param kind   BODY, BINARY or BINARY.SIZE
     * @param peek   {@code .PEEK}: does not set {@code \Seen}
     * @param part   part numbers (each from 1), empty for the whole message
     * @param text   what follows the part numbers
     * @param fields for HEADER.FIELDS[.NOT]: the field names as sent
     * @param spec   the section text between the brackets as the client sent it (echoed in the response)
     * @param origin partial fetch origin, or -1 without {@code <origin.count>}
     * @param count  partial fetch octet count (when origin >= 0)
     */
    public record Section(Kind kind, boolean peek, List<Integer> part, Text text, List<String> fields, String spec,
                          long origin, long count) implements Item {
        public Section {
            part = List.copyOf(part);
            fields = List.copyOf(fields);
        }

        /** The response item name, e.g. {@code BODY[1.MIME]<0>} (RFC 9051 §7.5.2: only the origin is echoed). */
        public String responseName() {
            String name = switch (kind) {
                case BODY -> "BODY";
                case BINARY -> "BINARY";
                case BINARY_SIZE -> "BINARY.SIZE";
            };
            return name + "[" + spec + "]" + (origin >= 0 ? "<" + origin + ">" : "");
        }
    }

    /** Longest header field name list accepted in HEADER.FIELDS. */
    static final int MAX_FIELDS = 1000;
    /** Deepest part number path accepted. */
    static final int MAX_PART_DEPTH = 100;

    private final List<Item> items;
    private final boolean previewLazy;
    private final long changedSince;
    private final boolean vanished;

    private FetchRequest(List<Item> items, boolean previewLazy, long changedSince, boolean vanished) {
        this.items = List.copyOf(items);
        this.previewLazy = previewLazy;
        this.changedSince = changedSince;
        this.vanished = vanished;
    }

    /**
     * Parses the arguments that follow the sequence set: one atom (a macro ALL, FAST, FULL or one
     * item) or one list of items, optionally followed by a list of fetch modifiers (RFC 7162
     * {@code (CHANGEDSINCE n)}, {@code (CHANGEDSINCE n VANISHED)}).
     */
    public static FetchRequest parse(List<Arg> args) throws ImapSyntaxException {
        if (args.isEmpty()) throw new ImapSyntaxException("Missing FETCH data items");
        if (args.size() > 2) throw new ImapSyntaxException("Too many FETCH arguments");
        List<Item> items = new ArrayList<>();
        boolean[] lazy = {false};
        switch (args.get(0)) {
            case Arg.Atom a -> {
                // RFC 9051 §6.4.5 macros: only on their own, not in a list
                switch (a.value().toUpperCase(Locale.ROOT)) {
                    case "ALL" -> add(items, Attr.FLAGS, Attr.INTERNALDATE, Attr.RFC822_SIZE, Attr.ENVELOPE);
                    case "FAST" -> add(items, Attr.FLAGS, Attr.INTERNALDATE, Attr.RFC822_SIZE);
                    case "FULL" -> add(items, Attr.FLAGS, Attr.INTERNALDATE, Attr.RFC822_SIZE, Attr.ENVELOPE, Attr.BODY);
                    default -> addItem(items, item(a.value()));
                }
            }
            case Arg.ListArg l -> {
                if (l.items().isEmpty()) throw new ImapSyntaxException("Empty FETCH data item list");
                List<Arg> xs = l.items();
                for (int i = 0; i < xs.size(); i++) {
                    if (!(xs.get(i) instanceof Arg.Atom a)) throw new ImapSyntaxException("Invalid FETCH data item");
                    Item it = item(a.value());
                    if (it instanceof Simple s && s.attr() == Attr.PREVIEW && i + 1 < xs.size()
                            && xs.get(i + 1) instanceof Arg.ListArg mods) {
                        previewModifiers(mods, lazy); // RFC 8970 §3: PREVIEW (LAZY)
                        i++;
                    }
                    addItem(items, it);
                }
            }
            case Arg.Str s -> throw new ImapSyntaxException("Invalid FETCH data item");
        }
        long changedSince = -1;
        boolean vanished = false;
        if (args.size() == 2) {
            if (!(args.get(1) instanceof Arg.ListArg mods)) throw new ImapSyntaxException("Invalid FETCH modifiers");
            List<Arg> m = mods.items();
            for (int i = 0; i < m.size(); i++) {
                String name = Arg.text(m.get(i));
                if (name == null || !(m.get(i) instanceof Arg.Atom)) throw new ImapSyntaxException("Invalid FETCH modifier");
                switch (name.toUpperCase(Locale.ROOT)) {
                    case "CHANGEDSINCE" -> {
                        // RFC 7162 §3.1.4.1: CHANGEDSINCE mod-sequence-valzer
                        if (changedSince >= 0 || i + 1 >= m.size() || !(m.get(i + 1) instanceof Arg.Atom v)) {
                            throw new ImapSyntaxException("Invalid CHANGEDSINCE");
                        }
                        changedSince = number(v.value(), true);
                        i++;
                    }
                    case "VANISHED" -> vanished = true; // RFC 7162 §3.2.6; the session checks QRESYNC and UID FETCH
                    default -> throw new ImapSyntaxException("Unknown FETCH modifier " + name);
                }
            }
            if (vanished && changedSince < 0) throw new ImapSyntaxException("VANISHED needs CHANGEDSINCE");
            if (changedSince >= 0 && !has(items, Attr.MODSEQ)) items.add(new Simple(Attr.MODSEQ)); // RFC 7162 §3.1.4.1
        }
        return new FetchRequest(items, lazy[0], changedSince, vanished);
    }

    private static void previewModifiers(Arg.ListArg mods, boolean[] lazy) throws ImapSyntaxException {
        for (Arg m : mods.items()) {
            if (m instanceof Arg.Atom a && a.is("LAZY")) lazy[0] = true;
            else throw new ImapSyntaxException("Unknown PREVIEW modifier");
        }
    }

    private static void add(List<Item> items, Attr... attrs) {
        for (Attr a : attrs) items.add(new Simple(a));
    }

    private static void addItem(List<Item> items, Item it) {
        if (!items.contains(it)) items.add(it);
    }

    private static boolean has(List<Item> items, Attr attr) {
        return items.contains(new Simple(attr));
    }

    /** One fetch-att (RFC 9051 §9) from its atom text. */
    static Item item(String text) throws ImapSyntaxException {
        int bracket = text.indexOf('[');
        String head = (bracket < 0 ? text : text.substring(0, bracket)).toUpperCase(Locale.ROOT);
        if (bracket < 0) {
            Attr attr = switch (head) {
                case "UID" -> Attr.UID;
                case "FLAGS" -> Attr.FLAGS;
                case "INTERNALDATE" -> Attr.INTERNALDATE;
                case "RFC822.SIZE" -> Attr.RFC822_SIZE;
                case "ENVELOPE" -> Attr.ENVELOPE;
                case "BODY" -> Attr.BODY;
                case "BODYSTRUCTURE" -> Attr.BODYSTRUCTURE;
                case "RFC822" -> Attr.RFC822;
                case "RFC822.HEADER" -> Attr.RFC822_HEADER;
                case "RFC822.TEXT" -> Attr.RFC822_TEXT;
                case "MODSEQ" -> Attr.MODSEQ;
                case "EMAILID" -> Attr.EMAILID;
                case "THREADID" -> Attr.THREADID;
                case "SAVEDATE" -> Attr.SAVEDATE;
                case "PREVIEW" -> Attr.PREVIEW;
                default -> throw new ImapSyntaxException("Unknown FETCH data item " + printable(text));
            };
            return new Simple(attr);
        }
        Kind kind;
        boolean peek;
        switch (head) {
            case "BODY" -> { kind = Kind.BODY; peek = false; }
            case "BODY.PEEK" -> { kind = Kind.BODY; peek = true; }
            case "BINARY" -> { kind = Kind.BINARY; peek = false; }
            case "BINARY.PEEK" -> { kind = Kind.BINARY; peek = true; }
            case "BINARY.SIZE" -> { kind = Kind.BINARY_SIZE; peek = true; }
            default -> throw new ImapSyntaxException("Unknown FETCH data item " + printable(text));
        }
        int close = closingBracket(text, bracket + 1);
        if (close < 0) throw new ImapSyntaxException("Missing ']' in FETCH section");
        String spec = text.substring(bracket + 1, close);
        String rest = text.substring(close + 1);
        long origin = -1, count = 0;
        if (!rest.isEmpty()) {
            // RFC 9051 §9 partial = "<" number64 "." nz-number64 ">"; RFC 3516: not with BINARY.SIZE
            if (kind == Kind.BINARY_SIZE || !rest.startsWith("<") || !rest.endsWith(">")) {
                throw new ImapSyntaxException("Invalid partial in " + printable(text));
            }
            String inner = rest.substring(1, rest.length() - 1);
            int dot = inner.indexOf('.');
            if (dot < 0) throw new ImapSyntaxException("Invalid partial in " + printable(text));
            origin = number(inner.substring(0, dot), true);
            count = number(inner.substring(dot + 1), false);
        }
        List<Integer> part = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        Text t = sectionSpec(spec, kind, part, fields);
        return new Section(kind, peek, part, t, fields, spec, origin, count);
    }

    private static int closingBracket(String s, int i) {
        boolean quoted = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }

    /** RFC 9051 §9 section-spec; RFC 3516 section-binary = [section-part]. */
    private static Text sectionSpec(String spec, Kind kind, List<Integer> part, List<String> fields) throws ImapSyntaxException {
        int i = 0;
        while (i < spec.length() && spec.charAt(i) >= '0' && spec.charAt(i) <= '9') {
            int j = i;
            while (j < spec.length() && spec.charAt(j) >= '0' && spec.charAt(j) <= '9') j++;
            int n = (int) Math.min(number(spec.substring(i, j), false), Integer.MAX_VALUE);
            part.add(n);
            if (part.size() > MAX_PART_DEPTH) throw new ImapSyntaxException("Section part too deep");
            i = j;
            if (i == spec.length()) break;
            if (spec.charAt(i) != '.') throw new ImapSyntaxException("Invalid section " + printable(spec));
            i++;
            if (i == spec.length()) throw new ImapSyntaxException("Invalid section " + printable(spec));
        }
        String rest = spec.substring(i);
        if (rest.isEmpty()) return Text.NONE;
        if (kind != Kind.BODY) throw new ImapSyntaxException("BINARY takes part numbers only");
        String upper = rest.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "HEADER":
                return Text.HEADER;
            case "TEXT":
                return Text.TEXT;
            case "MIME":
                if (part.isEmpty()) throw new ImapSyntaxException("MIME needs a part number");
                return Text.MIME;
            default:
                break;
        }
        Text t;
        String list;
        if (upper.startsWith("HEADER.FIELDS.NOT ")) {
            t = Text.HEADER_FIELDS_NOT;
            list = rest.substring("HEADER.FIELDS.NOT ".length());
        } else if (upper.startsWith("HEADER.FIELDS ")) {
            t = Text.HEADER_FIELDS;
            list = rest.substring("HEADER.FIELDS ".length());
        } else {
            throw new ImapSyntaxException("Invalid section " + printable(spec));
        }
        headerList(list, fields);
        return t;
    }

    /** RFC 9051 §9 header-list = "(" header-fld-name *(SP header-fld-name) ")"; header-fld-name = astring. */
    private static void headerList(String s, List<String> out) throws ImapSyntaxException {
        if (s.length() < 3 || s.charAt(0) != '(' || s.charAt(s.length() - 1) != ')') {
            throw new ImapSyntaxException("Invalid header list " + printable(s));
        }
        int i = 1, end = s.length() - 1;
        while (i < end) {
            StringBuilder name = new StringBuilder();
            if (s.charAt(i) == '"') {
                i++;
                while (i < end && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\') i++;
                    if (i < end) name.append(s.charAt(i++));
                }
                if (i >= end) throw new ImapSyntaxException("Invalid header list " + printable(s));
                i++;
            } else {
                while (i < end && s.charAt(i) != ' ') {
                    char c = s.charAt(i++);
                    if (c == '(' || c == ')' || c == '"') throw new ImapSyntaxException("Invalid header list " + printable(s));
                    name.append(c);
                }
            }
            // RFC 5322 §3.6.8 field-name = 1*ftext (printable except ":")
            if (name.isEmpty()) throw new ImapSyntaxException("Empty header field name");
            for (int k = 0; k < name.length(); k++) {
                char c = name.charAt(k);
                if (c <= ' ' || c >= 0x7f || c == ':') throw new ImapSyntaxException("Invalid header field name");
            }
            if (out.size() >= MAX_FIELDS) throw new ImapSyntaxException("Too many header field names");
            out.add(name.toString());
            if (i < end) {
                if (s.charAt(i) != ' ') throw new ImapSyntaxException("Invalid header list " + printable(s));
                i++;
                if (i == end) throw new ImapSyntaxException("Invalid header list " + printable(s));
            }
        }
    }

    /** RFC 9051 §9 number64 (or nz-number64 when {@code zeroOk} is false), at most 2^63-1. */
    private static long number(String s, boolean zeroOk) throws ImapSyntaxException {
        if (s.isEmpty() || s.length() > 19) throw new ImapSyntaxException("Invalid number " + printable(s));
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new ImapSyntaxException("Invalid number " + printable(s));
            n = n * 10 + (c - '0');
            if (n < 0) throw new ImapSyntaxException("Number too large");
        }
        if (n == 0 && !zeroOk) throw new ImapSyntaxException("Number must not be zero");
        return n;
    }

    private static String printable(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    // ---- accessors -------------------------------------------------------------------------

    /** The items in response order. */
    public List<Item> items() {
        return items;
    }

    /**
     * True when answering sets {@code \Seen} (RFC 9051 §6.4.5): BODY[...] and BINARY[...] without
     * .PEEK, RFC822 and RFC822.TEXT. The session sets the flag (when the mailbox is read-write) and
     * answers with {@link #withFlags()}.
     */
    public boolean setsSeen() {
        for (Item it : items) {
            if (it instanceof Section s && !s.peek() && s.kind() != Kind.BINARY_SIZE) return true;
            if (it instanceof Simple(Attr a) && (a == Attr.RFC822 || a == Attr.RFC822_TEXT)) return true;
        }
        return false;
    }

    /** True when some item needs the message content or its parsed structure (not only stored attributes). */
    public boolean needsContent() {
        for (Item it : items) {
            if (it instanceof Section) return true;
            if (it instanceof Simple(Attr a)) {
                switch (a) {
                    case ENVELOPE, BODY, BODYSTRUCTURE, RFC822, RFC822_HEADER, RFC822_TEXT, PREVIEW -> {
                        return true;
                    }
                    default -> { }
                }
            }
        }
        return false;
    }

    /** True when MODSEQ was asked for, directly or through CHANGEDSINCE (RFC 7162 §3.1.4.1). */
    public boolean hasModSeq() {
        return has(items, Attr.MODSEQ);
    }

    /** The CHANGEDSINCE modifier value, or -1. */
    public long changedSince() {
        return changedSince;
    }

    /** The VANISHED modifier (RFC 7162 §3.2.6). */
    public boolean vanished() {
        return vanished;
    }

    /** PREVIEW (LAZY) was asked for (RFC 8970 §3). We always compute the preview, so it only matters to callers that cache. */
    public boolean previewLazy() {
        return previewLazy;
    }

    /** True when {@code attr} is among the items. */
    public boolean has(Attr attr) {
        return has(items, attr);
    }

    /** This request with UID first (RFC 9051 §6.4.9: UID FETCH always returns the UID). */
    public FetchRequest withUid() {
        if (has(Attr.UID)) return this;
        List<Item> x = new ArrayList<>(items.size() + 1);
        x.add(new Simple(Attr.UID));
        x.addAll(items);
        return new FetchRequest(x, previewLazy, changedSince, vanished);
    }

    /** This request with FLAGS (sent when \Seen was set implicitly, RFC 9051 §6.4.5). */
    public FetchRequest withFlags() {
        if (has(Attr.FLAGS)) return this;
        List<Item> x = new ArrayList<>(items);
        x.add(new Simple(Attr.FLAGS));
        return new FetchRequest(x, previewLazy, changedSince, vanished);
    }

    /** This request with MODSEQ (RFC 7162 §3.2: once CONDSTORE is enabled, FETCH responses carry MODSEQ when FLAGS change). */
    public FetchRequest withModSeq() {
        if (has(Attr.MODSEQ)) return this;
        List<Item> x = new ArrayList<>(items);
        x.add(new Simple(Attr.MODSEQ));
        return new FetchRequest(x, previewLazy, changedSince, vanished);
    }

    @Override
    public String toString() {
        List<String> s = new ArrayList<>();
        for (Item it : items) {
            s.add(switch (it) {
                case Simple(Attr a) -> a.wire();
                case Section sec -> sec.responseName();
            });
        }
        return "FetchRequest" + Collections.unmodifiableList(s);
    }
}
