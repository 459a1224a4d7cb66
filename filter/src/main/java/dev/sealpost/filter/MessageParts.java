package dev.sealpost.filter;

import dev.sealpost.message.EncodedWords;
import dev.sealpost.message.Part;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The leaf parts of a parsed message, transfer-decoded, for the content checks. Bounded: at most
 * {@code maxParts} leaves and {@code maxBytes} decoded octets per leaf (the rest is cut, and the
 * leaf is marked {@link Leaf#truncated()}). Never throws on content.
 */
public final class MessageParts {
    private MessageParts() {}

    /**
     * One leaf part.
     *
     * @param part      the parsed part
     * @param fileName  its file name, decoded (Content-Disposition {@code filename}, else Content-Type
     *                  {@code name}; RFC 2231 by the message module, RFC 2047 words decoded here), or null
     * @param body      the transfer-decoded body (at most the limit)
     * @param truncated true when the body was cut at the limit
     */
    public record Leaf(Part part, String fileName, byte[] body, boolean truncated) {
        /** True for an attachment: a file name, an {@code attachment} disposition, or a type other than text and multipart. */
        public boolean isAttachment() {
            return fileName != null || "attachment".equals(part.disposition())
                    || !(part.type().equals("text") || part.type().equals("multipart") || part.type().equals("message"));
        }

        /** The body as text in its declared charset (UTF-8 when absent or unknown). */
        public String text() {
            return new String(body, charset(part.param("charset")));
        }
    }

    /** Every leaf of {@code message} (walking multiparts and embedded messages), decoded and bounded. */
    public static List<Leaf> leaves(FilterInput input, int maxParts, int maxBytes) {
        List<Leaf> out = new ArrayList<>();
        walk(input.structure().root(), input.message(), out, maxParts, maxBytes, 0);
        return out;
    }

    private static void walk(Part p, byte[] msg, List<Leaf> out, int maxParts, int maxBytes, int depth) {
        if (out.size() >= maxParts || depth > 64) return;
        if (p.isMultipart()) {
            for (Part c : p.children()) walk(c, msg, out, maxParts, maxBytes, depth + 1);
            return;
        }
        if (p.isMessage()) {
            walk(p.message(), msg, out, maxParts, maxBytes, depth + 1);
            return;
        }
        int start = (int) Math.min(Math.max(p.bodyStart(), 0), msg.length);
        int end = (int) Math.min(Math.max(p.end(), start), msg.length);
        byte[] body = decode(p.encoding(), msg, start, end - start);
        boolean truncated = body.length > maxBytes;
        if (truncated) body = Arrays.copyOf(body, maxBytes);
        out.add(new Leaf(p, fileName(p), body, truncated));
    }

    /** The part's file name: {@code filename} (RFC 2183 §2.3) before {@code name}, with RFC 2047 words decoded. */
    public static String fileName(Part p) {
        String n = p.dispositionParams().get("filename");
        if (n == null || n.isBlank()) n = p.param("name");
        if (n == null || n.isBlank()) return null;
        // Leniency by decision: RFC 2047 §5 forbids encoded words in parameters, but mail clients write
        // them there (Outlook, Thunderbird's default); every client shows them decoded, so we check that.
        return EncodedWords.decode(n.strip());
    }

    /** Content-Transfer-Encoding decoding (RFC 2045 §6.7, §6.8); an unknown encoding is left as it is. */
    public static byte[] decode(String encoding, byte[] b, int off, int len) {
        return switch (encoding == null ? "" : encoding.toLowerCase(Locale.ROOT)) {
            case "base64" -> base64(b, off, len);
            case "quoted-printable" -> quotedPrintable(b, off, len);
            default -> Arrays.copyOfRange(b, off, off + len);
        };
    }

    private static final int[] B64 = new int[128];

    static {
        Arrays.fill(B64, -1);
        String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < a.length(); i++) B64[a.charAt(i)] = i;
    }

    /** RFC 2045 §6.8: characters outside the alphabet are ignored; decoding stops at "=". */
    private static byte[] base64(byte[] b, int off, int len) {
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

    /** RFC 2045 §6.7: {@code =XX} octets, soft line breaks; a malformed "=" is kept. */
    private static byte[] quotedPrintable(byte[] b, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xff;
            if (c == '=' && i + 1 < end && (b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < end && b[i + 2] == '\n'))) {
                i += b[i + 1] == '\r' ? 2 : 1;
            } else if (c == '=' && i + 2 < end && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                out.write(hex(b[i + 1]) << 4 | hex(b[i + 2]));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    }

    static Charset charset(String name) {
        if (name == null) return StandardCharsets.UTF_8;
        try {
            return Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
