package dev.sealpost.imap.search;

import dev.sealpost.imap.proto.ImapSyntaxException;

import java.util.List;

/**
 * RFC 9394 {@code partial-range}: positions {@code first..last} (1-based, first <= last) of the
 * result, counted from the start, or from the end when negative ({@code -1:-100} is the last 100).
 */
public record PartialRange(long first, long last) {

    /** Parses {@code n:m} or {@code -n:-m}; the two ends may come in either order. */
    public static PartialRange parse(String s) throws ImapSyntaxException {
        int colon = s.indexOf(':');
        if (colon < 0) throw new ImapSyntaxException("PARTIAL needs a range n:m");
        boolean negative = s.startsWith("-");
        String a = s.substring(negative ? 1 : 0, colon);
        String b = s.substring(colon + 1);
        if (negative) {
            if (!b.startsWith("-")) throw new ImapSyntaxException("PARTIAL range mixes signs: " + s);
            b = b.substring(1);
        }
        long x = number(a, s), y = number(b, s);
        long lo = Math.min(x, y), hi = Math.max(x, y);
        // RFC 9394 §3: the absolute values are ordered low:high in both forms
        return negative ? new PartialRange(-lo, -hi) : new PartialRange(lo, hi);
    }

    private static long number(String n, String whole) throws ImapSyntaxException {
        if (n.isEmpty() || n.length() > 10 || n.charAt(0) == '0') throw new ImapSyntaxException("invalid PARTIAL range: " + whole);
        long v = 0;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') throw new ImapSyntaxException("invalid PARTIAL range: " + whole);
            v = v * 10 + (c - '0');
        }
        if (v > 0xFFFFFFFFL) throw new ImapSyntaxException("PARTIAL range out of range: " + whole);
        return v;
    }

    /** The elements of {@code results} in the range (empty when none). */
    public <T> List<T> apply(List<T> results) {
        int n = results.size();
        long from, to; // 0-based inclusive
        if (first > 0) {
            from = first - 1;
            to = last - 1;
        } else {
            from = n + last; // last is the more negative end
            to = n + first;
        }
        from = Math.max(from, 0);
        to = Math.min(to, n - 1L);
        if (from > to) return List.of();
        return results.subList((int) from, (int) to + 1);
    }

    @Override
    public String toString() {
        return first + ":" + last;
    }
}
