package dev.sealpost.secure.smime.internal;

import dev.sealpost.message.Part;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The byte-level MIME work around S/MIME that the {@code message} module's parser does not do:
 * line-end canonicalization, splitting a message into its outer header fields and the MIME entity
 * that gets signed or encrypted, transfer decoding of one leaf, and writing base64 and boundaries.
 * Structure (where a part starts and ends, its Content-Type parameters) comes from
 * {@link dev.sealpost.message.MessageStructure}.
 */
public final class MimeText {
    private MimeText() {}

    private static final byte[] CRLF = {'\r', '\n'};

    /** One header field as written, folding and its final CRLF included. */
    public record Field(String name, byte[] raw) {
        /** RFC 2045 §9: Content-* fields describe the entity and move with it into the signed or encrypted part. */
        public boolean isContentField() {
            return name.toLowerCase(Locale.ROOT).startsWith("content-");
        }

        public boolean is(String fieldName) {
            return name.equalsIgnoreCase(fieldName);
        }
    }

    /** A message split at the empty line that ends its header section. */
    public record Split(List<Field> fields, byte[] body) {}

    /**
     * RFC 8551 §3.1.1 canonical form: every line ends in CRLF. A bare LF becomes CRLF; a bare CR is
     * left alone (it cannot be told apart from binary content, and no signer we know writes one).
     */
    public static byte[] canonicalize(byte[] in) {
        int bare = 0;
        for (int i = 0; i < in.length; i++) if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) bare++;
        if (bare == 0) return in;
        byte[] out = new byte[in.length + bare];
        int j = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) out[j++] = '\r';
            out[j++] = in[i];
        }
        return out;
    }

    /** Splits a CRLF-canonical message into header fields (folded lines kept with their field) and body. */
    public static Split split(byte[] msg) {
        List<Field> fields = new ArrayList<>();
        int pos = 0;
        int fieldStart = -1;
        while (pos < msg.length) {
            int eol = indexOf(msg, CRLF, pos);
            int next = eol < 0 ? msg.length : eol + 2;
            if (eol == pos) { // the empty line: end of the header section
                if (fieldStart >= 0) fields.add(field(msg, fieldStart, pos));
                return new Split(fields, Arrays.copyOfRange(msg, next, msg.length));
            }
            boolean continuation = msg[pos] == ' ' || msg[pos] == '\t';
            if (!continuation) {
                if (fieldStart >= 0) fields.add(field(msg, fieldStart, pos));
                fieldStart = pos;
            }
            pos = next;
        }
        if (fieldStart >= 0) fields.add(field(msg, fieldStart, msg.length));
        return new Split(fields, new byte[0]); // no empty line: all header, no body
    }

    private static Field field(byte[] msg, int start, int end) {
        int colon = start;
        while (colon < end && msg[colon] != ':' && msg[colon] != '\r') colon++;
        String name = new String(msg, start, colon - start, StandardCharsets.ISO_8859_1).strip();
        byte[] raw = Arrays.copyOfRange(msg, start, end);
        if (!endsWithCrlf(raw)) raw = concat(raw, CRLF);
        return new Field(name, raw);
    }

    /** True when the body needs a 7-bit-safe transfer encoding: 8-bit octets, NUL, or lines over 998 octets (RFC 5322 §2.1.1). */
    public static boolean needs7bitEncoding(byte[] body) {
        int lineLength = 0;
        for (byte b : body) {
            if (b < 0 || b == 0) return true;
            if (b == '\n') lineLength = 0;
            else if (++lineLength > 998) return true;
        }
        return false;
    }

    /** Base64 in lines of 76 characters, each ending in CRLF (RFC 2045 §6.8). */
    public static byte[] base64Lines(byte[] data) {
        byte[] b64 = Base64.getMimeEncoder(76, CRLF).encode(data);
        return b64.length == 0 ? b64 : concat(b64, CRLF);
    }

    /**
     * The decoded body of a leaf part: base64 (RFC 2045 §6.8), quoted-printable is not expected for
     * CMS objects and is refused, 7bit/8bit/binary are taken as they are.
     *
     * @return null when the transfer encoding is unknown or the base64 is broken
     */
    public static byte[] decodedBody(byte[] msg, Part part) {
        byte[] raw = Arrays.copyOfRange(msg, (int) part.bodyStart(), (int) part.end());
        return switch (part.encoding()) {
            case "base64" -> {
                try {
                    // Leniency: the MIME decoder skips characters outside the alphabet (line ends, stray spaces)
                    yield Base64.getMimeDecoder().decode(raw);
                } catch (IllegalArgumentException e) {
                    yield null;
                }
            }
            case "7bit", "8bit", "binary" -> raw;
            default -> null;
        };
    }

    /** A boundary of 24 random base64url characters after a fixed prefix that never occurs in base64 (RFC 2046 §5.1.1). */
    public static String boundary(SecureRandom random, byte[] content) {
        while (true) {
            byte[] r = new byte[18];
            random.nextBytes(r);
            String b = "=_sealpost_" + Base64.getUrlEncoder().withoutPadding().encodeToString(r);
            if (indexOf(content, ("--" + b).getBytes(StandardCharsets.US_ASCII), 0) < 0) return b;
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static boolean endsWithCrlf(byte[] b) {
        return b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n';
    }

    public static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
