package dev.sealpost.imap.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * An IMAP {@code sequence-set} (RFC 9051 §9): ranges of message sequence numbers or UIDs, with
 * {@code *} for the largest number in use. {@code $} (RFC 5182 SEARCHRES) is not a sequence set
 * and is handled by the caller.
 */
public record SequenceSet(List<Range> ranges) {
    /** {@code *} in a range. */
    public static final long STAR = Long.MAX_VALUE;
    /** Longest sequence-set text accepted. */
    static final int MAX_LENGTH = 64 * 1024;

    /** @param from inclusive low end (may be {@link #STAR}); @param to inclusive high end; from <= to is not required */
    public record Range(long from, long to) {
        /** The range with {@code *} replaced by {@code star} and ends ordered (RFC 9051 §9: "2:4" and "4:2" are equivalent). */
        public Range resolve(long star) {
            long a = from == STAR ? star : from;
            long b = to == STAR ? star : to;
            return a <= b ? new Range(a, b) : new Range(b, a);
        }
    }

    public SequenceSet {
        ranges = List.copyOf(ranges);
    }

    /** Parses {@code seq-number / seq-range} items separated by commas; numbers are nz-number (1..2^32-1). */
    public static SequenceSet parse(String text) throws ImapSyntaxException {
        if (text == null || text.isEmpty()) throw new ImapSyntaxException("empty sequence set");
        if (text.length() > MAX_LENGTH) throw new ImapSyntaxException("sequence set too long");
        List<Range> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            int colon = item.indexOf(':');
            if (colon < 0) {
                long n = number(item);
                out.add(new Range(n, n));
            } else {
                out.add(new Range(number(item.substring(0, colon)), number(item.substring(colon + 1))));
            }
        }
        return new SequenceSet(out);
    }

    /** Whether {@code text} looks like a sequence set (digits, {@code *}, {@code :} and {@code ,} only). */
    public static boolean looksLike(String text) {
        if (text == null || text.isEmpty()) return false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '*' && c != ':' && c != ',') return false;
        }
        return true;
    }

    private static long number(String s) throws ImapSyntaxException {
        if (s.equals("*")) return STAR;
        if (s.isEmpty() || s.length() > 10 || s.charAt(0) == '0') throw new ImapSyntaxException("invalid sequence number: " + s);
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new ImapSyntaxException("invalid sequence number: " + s);
            n = n * 10 + (c - '0');
        }
        // RFC 9051 §9 nz-number is a number32 without 0
        if (n > 0xFFFFFFFFL) throw new ImapSyntaxException("sequence number out of range: " + s);
        return n;
    }

    /** Whether {@code n} is in the set, with {@code *} meaning {@code star} (the largest number in use). */
    public boolean contains(long n, long star) {
        for (Range r : ranges) {
            Range x = r.resolve(star);
            if (n >= x.from() && n <= x.to()) return true;
        }
        return false;
    }
}
