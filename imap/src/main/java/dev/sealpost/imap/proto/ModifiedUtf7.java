package dev.sealpost.imap.proto;

/**
 * Modified UTF-7 for IMAP mailbox names (RFC 3501 §5.1.3, kept by RFC 9051 §5.1 for clients
 * that have not enabled UTF8=ACCEPT). Printable US-ASCII stands for itself except {@code &},
 * written {@code &-}; other characters are UTF-16 in modified BASE64 ({@code ,} for {@code /},
 * no padding) between {@code &} and {@code -}.
 *
 * <p>Decoding is strict: only the canonical encoding of a name is accepted (no encoded printable
 * ASCII, no needlessly split shifts, no non-zero padding bits, no unterminated shift, no unpaired
 * surrogate), so that one mailbox has exactly one wire name.
 */
public final class ModifiedUtf7 {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUE = new int[128];

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET[i]] = i;
    }

    private ModifiedUtf7() {}

    /** Encodes {@code name} (any Unicode string; unpaired surrogates are encoded as they are). */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                if (c == '&') out.append('-'); // RFC 3501 §5.1.3: "&" is represented by "&-"
                i++;
                continue;
            }
            int j = i;
            while (j < name.length() && !(name.charAt(j) >= 0x20 && name.charAt(j) <= 0x7e)) j++;
            out.append('&');
            int bits = 0, nbits = 0;
            for (int k = i; k < j; k++) {
                bits = (bits << 16) | name.charAt(k);
                nbits += 16;
                while (nbits >= 6) {
                    nbits -= 6;
                    out.append(ALPHABET[(bits >>> nbits) & 0x3f]);
                }
            }
            if (nbits > 0) out.append(ALPHABET[(bits << (6 - nbits)) & 0x3f]);
            out.append('-');
            i = j;
        }
        return out.toString();
    }

    /**
     * Decodes a modified UTF-7 name.
     *
     * @throws ImapSyntaxException for anything but the canonical encoding of a valid Unicode name
     */
    public static String decode(String wire) throws ImapSyntaxException {
        StringBuilder out = new StringBuilder(wire.length());
        int i = 0;
        while (i < wire.length()) {
            char c = wire.charAt(i);
            if (c < 0x20 || c > 0x7e) throw new ImapSyntaxException("mailbox name is not 7-bit modified UTF-7");
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = wire.indexOf('-', i + 1);
            if (end < 0) throw new ImapSyntaxException("unterminated modified UTF-7 shift in mailbox name");
            if (end == i + 1) {
                out.append('&');
                i = end + 1;
                continue;
            }
            int bits = 0, nbits = 0;
            int start = out.length();
            for (int k = i + 1; k < end; k++) {
                char b = wire.charAt(k);
                int v = b < 128 ? VALUE[b] : -1;
                if (v < 0) throw new ImapSyntaxException("invalid modified BASE64 in mailbox name");
                bits = (bits << 6) | v;
                nbits += 6;
                if (nbits >= 16) {
                    nbits -= 16;
                    out.append((char) ((bits >>> nbits) & 0xffff));
                }
            }
            // RFC 3501 §5.1.3 with RFC 2152: leftover bits are padding, fewer than 6 and zero
            if (nbits >= 6 || (bits & ((1 << nbits) - 1)) != 0 || out.length() == start) {
                throw new ImapSyntaxException("invalid modified BASE64 padding in mailbox name");
            }
            for (int k = start; k < out.length(); k++) {
                char d = out.charAt(k);
                // "MUST NOT be used to represent any printing US-ASCII character which can represent itself"
                if (d >= 0x20 && d <= 0x7e) throw new ImapSyntaxException("needlessly encoded character in mailbox name");
                if (Character.isHighSurrogate(d)) {
                    if (k + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(k + 1))) {
                        throw new ImapSyntaxException("unpaired surrogate in mailbox name");
                    }
                    k++;
                } else if (Character.isLowSurrogate(d)) {
                    throw new ImapSyntaxException("unpaired surrogate in mailbox name");
                }
            }
            i = end + 1;
            if (i < wire.length() && wire.charAt(i) == '&' && !(i + 1 < wire.length() && wire.charAt(i + 1) == '-')) {
                // two adjacent shifts: the canonical form is one shift
                throw new ImapSyntaxException("split modified UTF-7 shift in mailbox name");
            }
        }
        return out.toString();
    }
}
