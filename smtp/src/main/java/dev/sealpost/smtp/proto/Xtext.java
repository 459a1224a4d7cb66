package dev.sealpost.smtp.proto;

import java.util.Optional;

/**
 * xtext (RFC 3461 §4): printable ASCII except {@code +} and {@code =}, others as {@code +XX}
 * (upper-case hex). Used by ENVID, ORCPT and AUTH=.
 */
public final class Xtext {
    private Xtext() {}

    /** Decodes xtext; empty when the text is not valid xtext or decodes to more than {@code maxChars}. */
    public static Optional<String> decode(String s, int maxChars) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                // RFC 3461 §4: hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits
                if (i + 2 >= s.length()) return Optional.empty();
                int h = hex(s.charAt(i + 1)), l = hex(s.charAt(i + 2));
                if (h < 0 || l < 0) return Optional.empty();
                out.append((char) (h * 16 + l));
                i += 2;
            } else if (c >= 33 && c <= 126 && c != '=') {
                out.append(c);
            } else {
                return Optional.empty();
            }
            if (out.length() > maxChars) return Optional.empty();
        }
        return Optional.of(out.toString());
    }

    /** Encodes ASCII text as xtext; non-ASCII characters are encoded per UTF-8 byte. */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') out.append((char) c);
            else out.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
