package dev.sealpost.lists.bounce.internal;

import dev.sealpost.message.EncodedWords;
import dev.sealpost.message.Part;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** A leaf part's body as text: transfer-decoded (RFC 2045 §6), charset applied, bounded in size. */
public final class BodyText {
    private BodyText() {}

    public static String decode(byte[] message, Part p, int maxBytes) {
        int start = (int) Math.min(p.bodyStart(), message.length);
        int end = (int) Math.min(p.end(), message.length);
        // transfer encodings grow the text; a base64 body of 4/3 maxBytes decodes to maxBytes
        int rawEnd = (int) Math.min(end, (long) start + maxBytes * 2L);
        byte[] raw = java.util.Arrays.copyOfRange(message, start, Math.max(start, rawEnd));
        byte[] bytes = switch (p.encoding()) {
            case "base64" -> base64(raw);
            case "quoted-printable" -> quotedPrintable(raw);
            default -> raw;
        };
        if (bytes.length > maxBytes) bytes = java.util.Arrays.copyOf(bytes, maxBytes);
        return new String(bytes, charset(p.param("charset")));
    }

    private static Charset charset(String name) {
        if (name == null) return StandardCharsets.ISO_8859_1; // every octet survives
        try {
            Charset cs = Charset.forName(name.strip());
            return cs.name().equalsIgnoreCase("US-ASCII") ? StandardCharsets.ISO_8859_1 : cs;
        } catch (IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1; // unknown or misspelt ("UFT-8" is seen in the wild)
        }
    }

    static byte[] base64(byte[] raw) {
        ByteArrayOutputStream clean = new ByteArrayOutputStream(raw.length);
        for (byte b : raw) {
            if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/') clean.write(b);
        }
        byte[] c = clean.toByteArray();
        int n = c.length - c.length % 4;
        if (c.length % 4 >= 2) n = c.length; // leniency: missing padding is tolerated
        try {
            return Base64.getDecoder().decode(pad(java.util.Arrays.copyOf(c, n)));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] pad(byte[] c) {
        int r = c.length % 4;
        if (r == 0) return c;
        byte[] out = java.util.Arrays.copyOf(c, c.length + 4 - r);
        java.util.Arrays.fill(out, c.length, out.length, (byte) '=');
        return out;
    }

    static byte[] quotedPrintable(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '=') {
                // RFC 2045 §6.7 rule 5: a soft line break
                if (i + 1 < raw.length && raw[i + 1] == '\n') { i += 1; continue; }
                if (i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n') { i += 2; continue; }
                if (i + 2 < raw.length) {
                    int h = Character.digit(raw[i + 1], 16), l = Character.digit(raw[i + 2], 16);
                    if (h >= 0 && l >= 0) { out.write(h << 4 | l); i += 2; continue; }
                }
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Tags removed, the common entities replaced, block tags made line breaks. */
    public static String stripHtml(String html) {
        String s = html.replaceAll("(?i)<\\s*(br|p|div|tr|li)\\b[^>]*>", "\n").replaceAll("<[^>]{0,2000}>", "");
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", " ").replace("&amp;", "&");
    }

    /** The decoded Subject of the top-level header, or "" (bounded to the header section). */
    public static String headerSubject(byte[] message, Part root) {
        int end = (int) Math.min(root.headerStart() + root.headerLength(), message.length);
        String header = new String(message, 0, end, StandardCharsets.ISO_8859_1).replaceAll("\r?\n[ \t]+", " ");
        for (String line : header.split("\r?\n")) {
            if (line.regionMatches(true, 0, "subject:", 0, 8)) return EncodedWords.decode(line.substring(8).strip()).toLowerCase(Locale.ROOT);
        }
        return "";
    }
}
