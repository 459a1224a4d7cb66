package dev.sealpost.auth.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed SPF macro-string (RFC 7208 §7.1): literal text and macro-expands, checked once when
 * the record is parsed and expanded per check. Instances are immutable.
 */
public final class MacroString {
    /** Longest expansion we produce; more is an error (domain names are cut to 253 anyway). */
    static final int MAX_EXPANSION = 8192;
    /** A transformer's digits beyond this are treated as "all parts" (no overflow, no big allocations). */
    private static final int MAX_DIGITS_VALUE = 255;

    /** Where the string appears, which decides the allowed characters and macro letters. */
    enum Kind {
        /** {@code domain-spec} of a mechanism, {@code redirect=} or {@code exp=}: letters s l o d i p h v. */
        DOMAIN_SPEC,
        /** The value of an unknown modifier: the ABNF {@code macro-string} (any macro letter). */
        MODIFIER,
        /** The TXT record named by {@code exp=} (RFC 7208 §6.2 {@code explain-string}): spaces too, and c r t. */
        EXPLANATION
    }

    sealed interface Token permits Literal, Macro {}

    record Literal(String text) implements Token {}

    /**
     * One {@code %{...}} expand.
     *
     * @param letter     the macro letter, lower case
     * @param escape     the letter was upper case: URL-escape the result (RFC 7208 §7.3)
     * @param digits     keep this many right-hand parts; 0 = all
     * @param reverse    the {@code r} transformer
     * @param delimiters split characters; empty = "."
     */
    record Macro(char letter, boolean escape, int digits, boolean reverse, String delimiters) implements Token {}

    private final String source;
    private final List<Token> tokens;
    private final int literalTailStart;

    private MacroString(String source, List<Token> tokens, int literalTailStart) {
        this.source = source;
        this.tokens = List.copyOf(tokens);
        this.literalTailStart = literalTailStart;
    }

    /** The text as written in the record. */
    @Override
    public String toString() {
        return source;
    }

    List<Token> tokens() {
        return tokens;
    }

    /** Thrown by the parser; stackless, never leaves the package (callers turn it into a value). */
    static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses {@code s} as a macro-string of the given kind (RFC 7208 §7.1 ABNF). */
    static MacroString parse(String s, Kind kind) throws SyntaxException {
        List<Token> tokens = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int tailStart = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '%') {
                // RFC 7208 §7.1 macro-literal = %x21-24 / %x26-7E; explain-string adds SP (§6.2)
                boolean ok = (c >= 0x21 && c <= 0x7e) || (c == ' ' && kind == Kind.EXPLANATION);
                if (!ok) throw new SyntaxException("invalid character 0x" + Integer.toHexString(c) + " in " + describe(kind));
                lit.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) throw new SyntaxException("'%' at the end of a macro-string"); // RFC 7208 §7.1
            char next = s.charAt(i + 1);
            switch (next) {
                case '%' -> { lit.append('%'); i += 2; tailStart = i; continue; }
                case '_' -> { lit.append(' '); i += 2; tailStart = i; continue; }
                case '-' -> { lit.append("%20"); i += 2; tailStart = i; continue; }
                case '{' -> { }
                default -> throw new SyntaxException("'%' followed by '" + printable(next) + "'"); // RFC 7208 §7.1
            }
            int close = s.indexOf('}', i + 2);
            if (close < 0) throw new SyntaxException("unterminated macro");
            if (!lit.isEmpty()) {
                tokens.add(new Literal(lit.toString()));
                lit.setLength(0);
            }
            tokens.add(parseMacro(s.substring(i + 2, close), kind));
            i = close + 1;
            tailStart = i;
        }
        if (!lit.isEmpty()) tokens.add(new Literal(lit.toString()));
        return new MacroString(s, tokens, tailStart);
    }

    private static Macro parseMacro(String body, Kind kind) throws SyntaxException {
        if (body.isEmpty()) throw new SyntaxException("empty macro");
        char raw = body.charAt(0);
        char letter = Character.toLowerCase(raw);
        if (raw > 0x7f) throw new SyntaxException("invalid macro letter");
        boolean known = switch (letter) {
            case 's', 'l', 'o', 'd', 'i', 'p', 'h', 'v' -> true;
            // RFC 7208 §7.1: c, r and t are allowed only in "exp" text
            case 'c', 'r', 't' -> kind != Kind.DOMAIN_SPEC;
            default -> false;
        };
        if (!known) throw new SyntaxException("macro letter '" + printable(raw) + "' not allowed in " + describe(kind));
        int j = 1;
        int digits = 0;
        int ndigits = 0;
        while (j < body.length() && body.charAt(j) >= '0' && body.charAt(j) <= '9') {
            digits = Math.min(MAX_DIGITS_VALUE + 1, digits * 10 + (body.charAt(j) - '0'));
            ndigits++;
            j++;
        }
        // RFC 7208 §7.3: "If a DIGIT is specified, the value MUST be nonzero."
        if (ndigits > 0 && digits == 0) throw new SyntaxException("zero transformer digits");
        if (digits > MAX_DIGITS_VALUE) digits = 0; // more parts than any name can have: all of them
        boolean reverse = false;
        if (j < body.length() && (body.charAt(j) == 'r' || body.charAt(j) == 'R')) {
            reverse = true;
            j++;
        }
        String delimiters = body.substring(j);
        for (int k = 0; k < delimiters.length(); k++) {
            // RFC 7208 §7.1 delimiter = "." / "-" / "+" / "," / "/" / "_" / "="
            if (".-+,/_=".indexOf(delimiters.charAt(k)) < 0) {
                throw new SyntaxException("invalid macro delimiter '" + printable(delimiters.charAt(k)) + "'");
            }
        }
        return new Macro(letter, Character.isUpperCase(raw), digits, reverse, delimiters);
    }

    /**
     * RFC 7208 §7.1 {@code domain-end = ( "." toplabel [ "." ] ) / macro-expand}: a domain-spec
     * ends in a macro or in a dot and a valid top label (not all-numeric; RFC 7208 §12).
     */
    boolean hasValidDomainEnd() {
        if (literalTailStart == source.length()) return !tokens.isEmpty(); // ends with a macro-expand
        String tail = source.substring(literalTailStart);
        if (tail.endsWith(".")) tail = tail.substring(0, tail.length() - 1);
        int dot = tail.lastIndexOf('.');
        if (dot < 0) return false;
        return isTopLabel(tail.substring(dot + 1));
    }

    /** {@code toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )}. */
    static boolean isTopLabel(String label) {
        if (label.isEmpty()) return false;
        boolean alpha = false;
        boolean dash = false;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) alpha = true;
            else if (c == '-') dash = true;
            else if (c < '0' || c > '9') return false;
        }
        if (!dash) return alpha;
        return isAlnum(label.charAt(0)) && isAlnum(label.charAt(label.length() - 1));
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Supplies macro values (RFC 7208 §7.2); may throw the caller's own unchecked exceptions. */
    interface Values {
        /** The unescaped value for a lower-case macro letter. */
        String value(char letter);
    }

    /**
     * Expands the macros (RFC 7208 §7.3): split on the delimiters, reverse, keep the right-hand
     * parts, join with ".", and URL-escape for upper-case letters.
     *
     * @throws SyntaxException when the expansion would exceed {@link #MAX_EXPANSION}
     */
    String expand(Values values) throws SyntaxException {
        StringBuilder out = new StringBuilder();
        for (Token t : tokens) {
            switch (t) {
                case Literal l -> out.append(l.text());
                case Macro m -> out.append(transform(m, values.value(m.letter())));
            }
            if (out.length() > MAX_EXPANSION) throw new SyntaxException("macro expansion too long");
        }
        return out.toString();
    }

    static String transform(Macro m, String value) {
        String v = value;
        if (m.digits() > 0 || m.reverse() || !m.delimiters().isEmpty()) {
            String delims = m.delimiters().isEmpty() ? "." : m.delimiters();
            List<String> parts = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= v.length(); i++) {
                if (i == v.length() || delims.indexOf(v.charAt(i)) >= 0) {
                    parts.add(v.substring(start, i));
                    start = i + 1;
                }
            }
            if (m.reverse()) java.util.Collections.reverse(parts);
            if (m.digits() > 0 && m.digits() < parts.size()) parts = parts.subList(parts.size() - m.digits(), parts.size());
            v = String.join(".", parts);
        }
        return m.escape() ? urlEscape(v) : v;
    }

    /** RFC 7208 §7.3: upper-case macros are URL-escaped: every octet outside RFC 3986 "unreserved". */
    static String urlEscape(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) sb.append((char) c);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
        return sb.toString();
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case DOMAIN_SPEC -> "domain-spec";
            case MODIFIER -> "modifier value";
            case EXPLANATION -> "explanation";
        };
    }

    static String printable(char c) {
        return c >= 0x21 && c <= 0x7e ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
