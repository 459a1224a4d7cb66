package dev.sealpost.message;

import dev.sealpost.message.internal.Text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded-word decoding for unstructured header text and display names.
 *
 * <p>Lenient by decision (documented at each place): encoded words are recognized anywhere in the
 * text, not only between whitespace, as mail clients write them inside quoted strings and next to
 * other text; bad base64 padding is tolerated; a word with an unknown charset or undecodable text
 * is left as it is. Never throws.
 */
public final class EncodedWords {
    // RFC 2047 §2: encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");

    private EncodedWords() {}

    /** Decodes every encoded word in {@code text}; returns {@code text} itself when there is none. */
    public static String decode(String text) {
        if (text == null || !text.contains("=?")) return text;
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        Charset pendingCharset = null;
        boolean previousEncoded = false;
        int last = 0;
        while (m.find()) {
            String between = text.substring(last, m.start());
            Charset cs = Text.charset(m.group(1));
            byte[] bytes = cs == null ? null : decodeText(m.group(2), m.group(3));
            // RFC 2047 §6.2: linear white space between adjacent encoded words is ignored
            boolean adjacent = previousEncoded && between.isBlank();
            if (bytes == null) {
                pendingCharset = flush(out, pending, pendingCharset);
                out.append(between).append(m.group());
                previousEncoded = false;
            } else if (adjacent && cs.equals(pendingCharset)) {
                // same charset: join the bytes first, a multi-byte character may be split across words
                pending.writeBytes(bytes);
            } else {
                pendingCharset = flush(out, pending, pendingCharset);
                if (!adjacent) out.append(between);
                pending.writeBytes(bytes);
                pendingCharset = cs;
                previousEncoded = true;
            }
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(text, last, text.length());
        return out.toString();
    }

    private static Charset flush(StringBuilder out, ByteArrayOutputStream pending, Charset cs) {
        if (cs != null) out.append(new String(pending.toByteArray(), cs)); // malformed input becomes U+FFFD
        pending.reset();
        return null;
    }

    private static byte[] decodeText(String encoding, String text) {
        if (encoding.equalsIgnoreCase("Q")) return decodeQ(text);
        // RFC 2047 §4.1: B is base64; tolerate missing padding and stray characters
        StringBuilder clean = new StringBuilder(text.length() + 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') clean.append(c);
        }
        if (clean.length() % 4 == 1) clean.setLength(clean.length() - 1);
        while (clean.length() % 4 != 0) clean.append('=');
        try {
            return Base64.getDecoder().decode(clean.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 2047 §4.2: "_" is a space, "=XX" a hex octet; a malformed "=" is kept literally. */
    private static byte[] decodeQ(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length() && Text.hex(text.charAt(i + 1)) >= 0 && Text.hex(text.charAt(i + 2)) >= 0) {
                out.write(Text.hex(text.charAt(i + 1)) << 4 | Text.hex(text.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

}
