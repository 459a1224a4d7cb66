package dev.sealpost.sieve.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The :regex match type (draft-ietf-sieve-regex-01 §3: POSIX extended regular expressions) on
 * Java's engine, bounded: Java's engine backtracks, so a hostile pattern could take exponential
 * time. Three bounds keep it safe: the pattern's length, the input's length, and a budget of
 * character reads per match (the input is wrapped in a {@link CharSequence} that counts reads and
 * stops the match when the budget is spent). Back-references are refused (not in POSIX ERE).
 */
public final class Regex {
    private Regex() {}

    /** Longest pattern accepted. */
    public static final int MAX_PATTERN = 1024;
    /** Longest input examined (longer values are cut to this many characters). */
    public static final int MAX_INPUT = 65_536;
    /** Character reads allowed for one value against one pattern. */
    public static final long MAX_READS = 2_000_000;

    /** The bound was spent. */
    public static final class BudgetExceeded extends RuntimeException {
        public BudgetExceeded(String message) { super(message, null, false, false); }
    }

    /** Null when {@code pattern} is acceptable, else why not. */
    public static String check(String pattern) {
        if (pattern.length() > MAX_PATTERN) return "longer than " + MAX_PATTERN + " characters";
        try {
            compile(pattern, false);
            return null;
        } catch (PatternSyntaxException e) {
            return e.getDescription();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static Pattern compile(String posix, boolean caseInsensitive) {
        StringBuilder out = new StringBuilder();
        boolean inBracket = false;
        for (int i = 0; i < posix.length(); i++) {
            char c = posix.charAt(i);
            if (c == '\\' && i + 1 < posix.length()) {
                char n = posix.charAt(i + 1);
                if (Character.isDigit(n)) throw new IllegalArgumentException("back-references are not supported");
                out.append(c).append(n);
                i++;
            } else if (inBracket && c == '[' && posix.startsWith("[:", i)) {
                int end = posix.indexOf(":]", i + 2);
                if (end < 0) throw new IllegalArgumentException("unterminated character class");
                String cls = posix.substring(i + 2, end);
                String java = switch (cls) {
                    case "alpha" -> "\\p{Alpha}"; case "digit" -> "\\p{Digit}"; case "alnum" -> "\\p{Alnum}";
                    case "upper" -> "\\p{Upper}"; case "lower" -> "\\p{Lower}"; case "space" -> "\\s";
                    case "punct" -> "\\p{Punct}"; case "xdigit" -> "\\p{XDigit}"; case "blank" -> "\\p{Blank}";
                    case "cntrl" -> "\\p{Cntrl}"; case "print" -> "\\p{Print}"; case "graph" -> "\\p{Graph}";
                    default -> throw new IllegalArgumentException("unknown character class [:" + cls + ":]");
                };
                out.append(java);
                i = end + 1;
            } else if (inBracket && c == '[') {
                out.append("\\[");
            } else if (c == '[' && !inBracket) {
                inBracket = true;
                out.append(c);
                if (i + 1 < posix.length() && posix.charAt(i + 1) == '^') { out.append('^'); i++; }
                if (i + 1 < posix.length() && posix.charAt(i + 1) == ']') { out.append("\\]"); i++; }
            } else if (c == ']' && inBracket) {
                inBracket = false;
                out.append(c);
            } else if (inBracket && (c == '&' || c == '\\')) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        if (inBracket) throw new IllegalArgumentException("unterminated bracket expression");
        return Pattern.compile(out.toString(), caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
    }

    /**
     * Matches {@code value} against {@code pattern} (search anywhere, as regexec does); returns
     * null when it does not match, else the whole match and the groups ("" for a group that did
     * not take part). Throws {@link BudgetExceeded} when a bound is spent.
     */
    public static List<String> find(String comparator, String value, String pattern) {
        if (pattern.length() > MAX_PATTERN) throw new BudgetExceeded("regex longer than " + MAX_PATTERN + " characters");
        Pattern p;
        try {
            // i;octet is case-sensitive, i;ascii-casemap (the default) case-insensitive
            p = compile(pattern, !comparator.equals("i;octet"));
        } catch (IllegalArgumentException e) {
            throw new BudgetExceeded("invalid regex: " + e.getMessage());
        }
        String v = value.length() > MAX_INPUT ? value.substring(0, MAX_INPUT) : value;
        Matcher m = p.matcher(new Counted(v));
        if (!m.find()) return null;
        List<String> out = new ArrayList<>();
        for (int g = 0; g <= m.groupCount(); g++) out.add(m.group(g) == null ? "" : m.group(g));
        return out;
    }

    /** A string whose reads are counted. */
    private static final class Counted implements CharSequence {
        private final String s;
        private final long[] reads;

        Counted(String s) { this(s, new long[1]); }

        private Counted(String s, long[] reads) { this.s = s; this.reads = reads; }

        @Override public int length() { return s.length(); }

        @Override public char charAt(int i) {
            if (++reads[0] > MAX_READS) throw new BudgetExceeded("regex match exceeded " + MAX_READS + " steps");
            return s.charAt(i);
        }

        @Override public CharSequence subSequence(int a, int b) { return new Counted(s.substring(a, b), reads); }

        @Override public String toString() { return s; }
    }
}
