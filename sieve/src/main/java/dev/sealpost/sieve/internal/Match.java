package dev.sealpost.sieve.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Comparators (RFC 4790 §9, RFC 5228 §2.7.3) and match types :is, :contains, :matches (RFC 5228
 * §2.7.1) and relational :value/:count (RFC 5231). :matches runs in time linear in the value per
 * pattern segment (no backtracking) and yields the match variables of RFC 5229 §3.2.
 */
public final class Match {
    private Match() {}

    /** Folds per comparator for equality and substring: ASCII letters only for i;ascii-casemap. */
    static String fold(String comparator, String s) {
        if (comparator.equals("i;unicode-casemap")) {
            // RFC 5051 §2 partial: simple per-character case folding, no normalization (keeps indexes for match variables)
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) b.append(Character.toLowerCase(Character.toUpperCase(s.charAt(i))));
            return b.toString();
        }
        if (!comparator.equals("i;ascii-casemap")) return s;
        // RFC 4790 §9.2: i;ascii-casemap maps a-z to A-Z (only ASCII letters)
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                if (b == null) b = new StringBuilder(s);
                b.setCharAt(i, (char) (c - 32));
            }
        }
        return b == null ? s : b.toString();
    }

    /** RFC 4790 §9.1: the leading digits as a number; null (positive infinity) when there are none. */
    static java.math.BigInteger numeric(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i == 0 ? null : new java.math.BigInteger(s.substring(0, i));
    }

    /** Ordering per comparator (RFC 4790 §9; RFC 5231 §4). */
    public static int compare(String comparator, String a, String b) {
        if (comparator.equals("i;ascii-numeric")) {
            java.math.BigInteger x = numeric(a), y = numeric(b);
            if (x == null) return y == null ? 0 : 1;
            if (y == null) return -1;
            return x.compareTo(y);
        }
        byte[] p = fold(comparator, a).getBytes(StandardCharsets.UTF_8);
        byte[] q = fold(comparator, b).getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(p, q);
    }

    public static boolean relation(String op, int cmp) {
        return switch (op) {
            case "gt" -> cmp > 0;
            case "ge" -> cmp >= 0;
            case "lt" -> cmp < 0;
            case "le" -> cmp <= 0;
            case "eq" -> cmp == 0;
            default -> cmp != 0; // "ne"
        };
    }

    public static boolean is(String comparator, String value, String key) {
        if (comparator.equals("i;ascii-numeric")) return compare(comparator, value, key) == 0;
        return fold(comparator, value).equals(fold(comparator, key));
    }

    public static boolean contains(String comparator, String value, String key) {
        return fold(comparator, value).contains(fold(comparator, key));
    }

    /**
     * RFC 5228 §2.7.1 :matches with "*" and "?" and "\" escapes; on success the values of the
     * wildcards in order (RFC 5229 §3.2: each "*" but the last matches as little as it can), else null.
     */
    public static List<String> matches(String comparator, String value, String pattern) {
        String v = fold(comparator, value);
        // tokens: -1 = '*', -2 = '?', else a literal char
        List<Integer> tokens = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) tokens.add((int) fold(comparator, String.valueOf(pattern.charAt(++i))).charAt(0));
            else if (c == '*') tokens.add(-1);
            else if (c == '?') tokens.add(-2);
            else tokens.add((int) fold(comparator, String.valueOf(c)).charAt(0));
        }
        List<List<Integer>> segments = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        for (int t : tokens) {
            if (t == -1) {
                segments.add(cur);
                cur = new ArrayList<>();
            } else cur.add(t);
        }
        segments.add(cur);
        List<String> caps = new ArrayList<>();
        int n = segments.size();
        List<Integer> first = segments.getFirst();
        if (n == 1) {
            if (first.size() != v.length() || !segmentAt(first, v, 0, value, caps)) return null;
            return caps;
        }
        if (first.size() > v.length() || !segmentAt(first, v, 0, value, caps)) return null;
        int p = first.size();
        List<Integer> last = segments.getLast();
        int lastStart = v.length() - last.size();
        if (lastStart < p) return null;
        for (int s = 1; s < n - 1; s++) {
            List<Integer> seg = segments.get(s);
            int found = -1;
            for (int q = p; q + seg.size() <= lastStart; q++) {
                if (segmentAt(seg, v, q, value, null)) {
                    found = q;
                    break;
                }
            }
            if (found < 0) return null;
            caps.add(value.substring(p, found));
            segmentAt(seg, v, found, value, caps);
            p = found + seg.size();
        }
        caps.add(value.substring(p, lastStart));
        if (!segmentAt(last, v, lastStart, value, caps)) return null;
        return caps;
    }

    private static boolean segmentAt(List<Integer> seg, String v, int at, String original, List<String> caps) {
        if (at + seg.size() > v.length()) return false;
        for (int i = 0; i < seg.size(); i++) {
            int t = seg.get(i);
            if (t != -2 && v.charAt(at + i) != t) return false;
        }
        if (caps != null) {
            for (int i = 0; i < seg.size(); i++) if (seg.get(i) == -2) caps.add(original.substring(at + i, at + i + 1));
        }
        return true;
    }
}
