package dev.sealpost.imap.fetch;

import java.io.ByteArrayOutputStream;

/** Content-Transfer-Encoding decoders for BINARY (RFC 3516) and PREVIEW (RFC 8970). */
final class TransferDecoding {
    private static final int[] B64 = new int[128];

    static {
        java.util.Arrays.fill(B64, -1);
        String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < a.length(); i++) B64[a.charAt(i)] = i;
    }

    private TransferDecoding() {}

    /** True for the identity encodings (RFC 2045 §6.2). */
    static boolean identity(String encoding) {
        return encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
    }

    /**
     * Decodes {@code len} octets at {@code off} in the given encoding.
     *
     * @throws UnknownCteException for an encoding other than 7bit, 8bit, binary, base64 and quoted-printable
     */
    static byte[] decode(String encoding, byte[] b, int off, int len) throws UnknownCteException {
        if (identity(encoding)) return java.util.Arrays.copyOfRange(b, off, off + len);
        return switch (encoding) {
            case "base64" -> base64(b, off, len);
            case "quoted-printable" -> quotedPrintable(b, off, len);
            default -> throw new UnknownCteException(encoding);
        };
    }

    /**
     * RFC 2045 §6.8: characters outside the alphabet are ignored (line breaks, white space,
     * junk); decoding stops at the first "="; incomplete trailing bits are dropped.
     */
    static byte[] base64(byte[] b, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len * 3 / 4 + 3);
        int bits = 0, n = 0;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c == '=') break;
            int v = c < 128 ? B64[c] : -1;
            if (v < 0) continue;
            bits = (bits << 6) | v;
            n += 6;
            if (n >= 8) {
                n -= 8;
                out.write((bits >>> n) & 0xff);
            }
        }
        return out.toByteArray();
    }

    /**
     * RFC 2045 §6.7: {@code =XX} is an octet, "=" at the end of a line is a soft line break, and
     * trailing white space of each line is transport padding and deleted (rule 3). Leniency: a
     * bare LF ends a line too, lower-case hex is accepted (RFC 2045 §6.7 (1) says "should"), and
     * an "=" not followed by two hex digits is kept as it is.
     */
    static byte[] quotedPrintable(byte[] b, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        int end = off + len;
        int i = off;
        while (i < end) {
            int lineEnd = i;
            while (lineEnd < end && b[lineEnd] != '\n') lineEnd++;
            boolean hasBreak = lineEnd < end;
            int contentEnd = lineEnd;
            if (hasBreak && contentEnd > i && b[contentEnd - 1] == '\r') contentEnd--;
            while (contentEnd > i && (b[contentEnd - 1] == ' ' || b[contentEnd - 1] == '\t')) contentEnd--;
            boolean soft = contentEnd > i && b[contentEnd - 1] == '=';
            int stop = soft ? contentEnd - 1 : contentEnd;
            for (int k = i; k < stop; k++) {
                int c = b[k] & 0xff;
                if (c == '=' && k + 2 < stop && hex(b[k + 1]) >= 0 && hex(b[k + 2]) >= 0) {
                    out.write(hex(b[k + 1]) << 4 | hex(b[k + 2]));
                    k += 2;
                } else {
                    out.write(c);
                }
            }
            if (hasBreak && !soft) {
                out.write('\r');
                out.write('\n');
            }
            i = hasBreak ? lineEnd + 1 : end;
        }
        return out.toByteArray();
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    }
}
