package dev.sealpost.filter.bayes;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Turns one MIME leaf's body into text for the tokenizer: transfer decoding (RFC 2045 §6.7
 * quoted-printable, §6.8 base64), the charset of its Content-Type, and for HTML the visible text
 * with the link and image targets reported separately. Bounded by the caller's character budget;
 * never throws on content.
 */
final class BodyText {
    /** Longest tag (from "<" to ">") looked into; a longer one is skipped as text. */
    private static final int MAX_TAG = 4096;

    private BodyText() {}

    /** RFC 2045 §6: base64 and quoted-printable decoded; other encodings are the octets themselves. */
    static byte[] decodeTransfer(byte[] b, int off, int len, String encoding) {
        if ("base64".equals(encoding)) {
            // RFC 2045 §6.8: characters outside the base64 alphabet are ignored
            byte[] out = new byte[len / 4 * 3 + 3];
            int n = 0, acc = 0, bits = 0;
            for (int i = off; i < off + len; i++) {
                int v = b64(b[i]);
                if (v < 0) continue;
                acc = acc << 6 | v;
                bits += 6;
                if (bits >= 8) {
                    bits -= 8;
                    out[n++] = (byte) (acc >> bits);
                    acc &= (1 << bits) - 1;
                }
            }
            return Arrays.copyOf(out, n);
        }
        if ("quoted-printable".equals(encoding)) {
            byte[] out = new byte[len];
            int n = 0;
            int end = off + len;
            for (int i = off; i < end; i++) {
                byte c = b[i];
                if (c == '=') {
                    // RFC 2045 §6.7 rule 5: "=" at the end of a line is a soft line break
                    if (i + 1 < end && b[i + 1] == '\n') {
                        i++;
                        continue;
                    }
                    if (i + 2 < end && b[i + 1] == '\r' && b[i + 2] == '\n') {
                        i += 2;
                        continue;
                    }
                    if (i + 2 < end && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                        out[n++] = (byte) (hex(b[i + 1]) << 4 | hex(b[i + 2]));
                        i += 2;
                        continue;
                    }
                }
                out[n++] = c; // leniency (RFC 2045 §6.7 note): a malformed "=" is kept as it is
            }
            return Arrays.copyOf(out, n);
        }
        return Arrays.copyOfRange(b, off, off + len);
    }

    private static int b64(byte c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** Text in the named charset; an unknown or absent one: UTF-8 when valid, else ISO-8859-1 (no octet is lost). */
    static String decodeCharset(byte[] b, String charset) {
        if (charset != null) {
            try {
                Charset cs = Charset.forName(charset.strip());
                if (!cs.equals(StandardCharsets.US_ASCII)) return new String(b, cs);
            } catch (IllegalArgumentException e) {
                // unknown or illegal name: guess below
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The visible text of HTML: tags, comments, {@code <style>} and {@code <script>} contents
     * removed (each replaced by a space), common character references decoded. Tag names are
     * given to {@code tags} and the values of {@code href} and {@code src} attributes to
     * {@code links}, as found.
     */
    static String stripHtml(String html, Consumer<String> tags, Consumer<String> links) {
        StringBuilder out = new StringBuilder(Math.min(html.length(), 1 << 16));
        int n = html.length();
        int i = 0;
        int nextGt = -1; // the first ">" after the last "<" looked at (n: none)
        while (i < n) {
            char c = html.charAt(i);
            if (c == '&') {
                i = entity(html, i, out);
                continue;
            }
            if (c != '<') {
                out.append(c);
                i++;
                continue;
            }
            if (html.startsWith("<!--", i)) {
                int end = html.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
                out.append(' ');
                continue;
            }
            if (nextGt <= i) nextGt = html.indexOf('>', i + 1); // cached: many lone "<" cost one scan, not one each
            if (nextGt < 0) nextGt = n;
            int close = nextGt;
            if (close >= n || close - i > MAX_TAG) { // not a tag: keep the "<" as text
                out.append(c);
                i++;
                continue;
            }
            String tag = html.substring(i + 1, close);
            String name = tagName(tag);
            if (!name.isEmpty()) {
                tags.accept(name);
                attribute(tag, "href", links);
                attribute(tag, "src", links);
            }
            i = close + 1;
            if (!tag.startsWith("/") && (name.equals("style") || name.equals("script"))) {
                int end = indexOfIgnoreCase(html, "</" + name, i);
                i = end < 0 ? n : end;
            }
            out.append(' ');
        }
        return out.toString();
    }

    private static String tagName(String tag) {
        int s = 0;
        if (s < tag.length() && tag.charAt(s) == '/') s++;
        int e = s;
        while (e < tag.length() && e - s < 16 && (Character.isLetterOrDigit(tag.charAt(e)))) e++;
        if (e == s || !Character.isLetter(tag.charAt(s))) return "";
        return tag.substring(s, e).toLowerCase(Locale.ROOT);
    }

    private static void attribute(String tag, String attr, Consumer<String> links) {
        int from = 0;
        while (true) {
            int at = indexOfIgnoreCase(tag, attr, from);
            if (at < 0) return;
            from = at + attr.length();
            if (at > 0 && Character.isLetterOrDigit(tag.charAt(at - 1))) continue;
            int j = from;
            while (j < tag.length() && Character.isWhitespace(tag.charAt(j))) j++;
            if (j >= tag.length() || tag.charAt(j) != '=') continue;
            j++;
            while (j < tag.length() && Character.isWhitespace(tag.charAt(j))) j++;
            if (j >= tag.length()) return;
            char q = tag.charAt(j);
            int end;
            if (q == '"' || q == '\'') {
                j++;
                end = tag.indexOf(q, j);
                if (end < 0) end = tag.length();
            } else {
                end = j;
                while (end < tag.length() && !Character.isWhitespace(tag.charAt(end))) end++;
            }
            links.accept(tag.substring(j, end));
            from = end;
        }
    }

    /** {@code s.indexOf(c, from)} looking no further than {@code limit} (exclusive). */
    private static int indexOf(String s, char c, int from, int limit) {
        int end = Math.min(s.length(), limit);
        for (int i = from; i < end; i++) if (s.charAt(i) == c) return i;
        return -1;
    }

    static int indexOfIgnoreCase(String s, String what, int from) {
        int max = s.length() - what.length();
        for (int i = Math.max(from, 0); i <= max; i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) return i;
        }
        return -1;
    }

    /** Decodes the character reference at {@code s[i] == '&'}; returns the index after it. */
    private static int entity(String s, int i, StringBuilder out) {
        int semi = indexOf(s, ';', i + 1, i + 11);
        if (semi < 0) {
            out.append('&');
            return i + 1;
        }
        String name = s.substring(i + 1, semi);
        int cp = -1;
        if (name.startsWith("#x") || name.startsWith("#X")) cp = parse(name.substring(2), 16);
        else if (name.startsWith("#")) cp = parse(name.substring(1), 10);
        else {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "nbsp" -> cp = ' ';
                case "amp" -> cp = '&';
                case "lt" -> cp = '<';
                case "gt" -> cp = '>';
                case "quot" -> cp = '"';
                case "apos" -> cp = '\'';
                default -> cp = -1;
            }
        }
        if (cp < 0 || !Character.isValidCodePoint(cp)) {
            out.append('&');
            return i + 1;
        }
        out.appendCodePoint(cp);
        return semi + 1;
    }

    private static int parse(String digits, int radix) {
        if (digits.isEmpty() || digits.length() > 7) return -1;
        try {
            return Integer.parseInt(digits, radix);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
