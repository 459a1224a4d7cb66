package dev.sealpost.it.imaptest;

import java.util.ArrayList;
import java.util.List;

/**
 * One IMAP argument as imaptest sees it: atom, quoted string or literal, NIL, or a parenthesised
 * list. Text is kept as ISO-8859-1 so that every char is one octet of the wire (literal sizes stay
 * exact and 8-bit data round-trips).
 */
sealed interface ImapArg {

    /** An atom; with imaptest's "all chars" rule it may hold brackets, quotes or braces. */
    record Atom(String value) implements ImapArg {}

    /** A quoted string or a literal ({@code literal} tells which, for messages only). */
    record Str(String value, boolean literal) implements ImapArg {}

    /** NIL (any case). */
    record Nil() implements ImapArg {}

    /** A parenthesised list. */
    record ListArg(List<ImapArg> items) implements ImapArg {}

    /** The text of an atom, string or literal; {@code null} for NIL and lists (imap_arg_get_astring). */
    static String astring(ImapArg a) {
        return switch (a) {
            case Atom at -> at.value();
            case Str s -> s.value();
            default -> null;
        };
    }

    /** The atom's text, or null. */
    static String atom(ImapArg a) {
        return a instanceof Atom at ? at.value() : null;
    }

    /** Readable form for failure messages (literals shown quoted, long text shortened). */
    static String render(List<ImapArg> args) {
        StringBuilder sb = new StringBuilder();
        render(args, sb);
        return sb.toString();
    }

    private static void render(List<ImapArg> args, StringBuilder sb) {
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) sb.append(' ');
            switch (args.get(i)) {
                case Atom a -> sb.append(a.value());
                case Nil n -> sb.append("NIL");
                case Str s -> {
                    String v = s.value();
                    if (v.length() > 300) v = v.substring(0, 300) + "...(" + s.value().length() + " octets)";
                    sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")
                            .replace("\r", "\\r").replace("\n", "\\n")).append('"');
                }
                case ListArg l -> {
                    sb.append('(');
                    render(l.items(), sb);
                    sb.append(')');
                }
            }
        }
    }

    /**
     * Parses one logical line (literals already inline as {@code {n}\r\n<n octets>}) the way
     * Dovecot's imap-parser does with ATOM_ALLCHARS | LITERAL8 | MULTILINE_STR: tokens split on
     * spaces; {@code "} starts a quoted string (backslash escapes), {@code {n}} / {@code {n+}} /
     * {@code ~{n}} a literal, {@code (} a list; an atom runs to a space, a line break, or a
     * {@code )} inside a list; a bare NIL (any case) is NIL.
     *
     * @param lenient for server input: an unterminated string or list ends at the end of the line
     *                instead of failing
     * @throws IllegalArgumentException on a syntax error (never when lenient)
     */
    static List<ImapArg> parse(String line, boolean lenient) {
        Parser p = new Parser(line, lenient);
        List<ImapArg> root = p.parseList(false);
        return root;
    }

    final class Parser {
        private final String s;
        private final boolean lenient;
        private int pos;

        Parser(String s, boolean lenient) {
            this.s = s;
            this.lenient = lenient;
        }

        List<ImapArg> parseList(boolean inList) {
            List<ImapArg> out = new ArrayList<>();
            while (true) {
                while (pos < s.length() && s.charAt(pos) == ' ') pos++;
                if (pos >= s.length() || s.charAt(pos) == '\r' || s.charAt(pos) == '\n') {
                    if (inList && !lenient) throw new IllegalArgumentException("Missing ')'");
                    pos = s.length();
                    return out;
                }
                char c = s.charAt(pos);
                if (c == ')') {
                    if (inList) {
                        pos++;
                        return out;
                    }
                    // top level: with ATOM_ALLCHARS a ')' that starts a token is still an error in
                    // Dovecot ("Unexpected ')'"); be lenient for server text and take it as an atom
                    if (!lenient) throw new IllegalArgumentException("Unexpected ')'");
                    out.add(readAtom(false));
                    continue;
                }
                if (c == '(') {
                    pos++;
                    out.add(new ListArg(List.copyOf(parseList(true))));
                } else if (c == '"') {
                    out.add(readQuoted());
                } else if (c == '{' || (c == '~' && pos + 1 < s.length() && s.charAt(pos + 1) == '{')) {
                    out.add(readLiteral());
                } else {
                    out.add(readAtom(inList));
                }
            }
        }

        private ImapArg readAtom(boolean inList) {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\r' || c == '\n' || (c == ')' && inList)) break;
                pos++;
            }
            String v = s.substring(start, pos);
            return v.equalsIgnoreCase("NIL") ? new Nil() : new Atom(v);
        }

        private ImapArg readQuoted() {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return new Str(sb.toString(), false);
                }
                if (c == '\\' && pos + 1 < s.length()) {
                    sb.append(s.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                sb.append(c);
                pos++;
            }
            if (!lenient) throw new IllegalArgumentException("Missing '\"'");
            return new Atom(s.substring(start));
        }

        private ImapArg readLiteral() {
            int start = pos;
            if (s.charAt(pos) == '~') pos++;
            pos++; // '{'
            long size = 0;
            boolean digits = false;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                size = size * 10 + (s.charAt(pos) - '0');
                if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("Literal size too large");
                digits = true;
                pos++;
            }
            if (pos < s.length() && s.charAt(pos) == '+') pos++;
            if (!digits || pos >= s.length() || s.charAt(pos) != '}') {
                if (!lenient) throw new IllegalArgumentException("Invalid literal size");
                pos = start;
                return readAtom(false);
            }
            pos++;
            if (pos < s.length() && s.charAt(pos) == '\r') pos++;
            if (pos >= s.length() || s.charAt(pos) != '\n') {
                if (!lenient) throw new IllegalArgumentException("Missing LF after literal size");
                return new Atom(s.substring(start, pos));
            }
            pos++;
            if (pos + size > s.length()) {
                if (!lenient) throw new IllegalArgumentException("Missing data");
                size = s.length() - pos;
            }
            String v = s.substring(pos, pos + (int) size);
            pos += (int) size;
            return new Str(v, true);
        }
    }
}
