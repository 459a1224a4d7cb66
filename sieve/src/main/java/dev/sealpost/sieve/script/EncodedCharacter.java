package dev.sealpost.sieve.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** RFC 5228 §2.4.2.4: {@code ${hex:…}} and {@code ${unicode:…}} in strings; a malformed sequence is left as it is. */
final class EncodedCharacter {
    private EncodedCharacter() {}

    static String decode(String s) {
        if (!s.contains("${")) return s;
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int start = s.indexOf("${", i);
            if (start < 0) break;
            out.append(s, i, start);
            int end = s.indexOf('}', start);
            String decoded = end < 0 ? null : decodeOne(s.substring(start + 2, end));
            if (decoded == null) {
                out.append("${");
                i = start + 2;
            } else {
                out.append(decoded);
                i = end + 1;
            }
        }
        out.append(s, i, s.length());
        return out.toString();
    }

    private static String decodeOne(String body) {
        int colon = body.indexOf(':');
        if (colon < 0) return null;
        String kind = body.substring(0, colon).toLowerCase(Locale.ROOT);
        String[] items = body.substring(colon + 1).trim().split("[ \\t\\r\\n]+");
        // RFC 5228 §2.4.2.4: at least one hex-pair / unicode-hex; an empty sequence is left as it is
        if (body.substring(colon + 1).isBlank()) return null;
        boolean empty = false;
        if (kind.equals("hex")) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            if (!empty) for (String h : items) {
                if (!h.matches("[0-9A-Fa-f]{1,2}")) return null; // hex-pair = 1*2HEXDIG
                b.write(Integer.parseInt(h, 16));
            }
            return b.toString(StandardCharsets.UTF_8);
        }
        if (kind.equals("unicode")) {
            StringBuilder sb = new StringBuilder();
            if (!empty) for (String h : items) {
                if (!h.matches("[0-9A-Fa-f]+")) return null;
                String t = h.replaceFirst("^0+(?=.)", "");
                if (t.length() > 6) return null;
                int cp = Integer.parseInt(t, 16);
                // RFC 5228 §2.4.2.4: surrogates and values above 10FFFF are errors; left undecoded here
                if (cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) return null;
                sb.appendCodePoint(cp);
            }
            return sb.toString();
        }
        return null;
    }
}
