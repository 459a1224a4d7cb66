package dev.sealpost.managesieve.proto;

import java.nio.charset.StandardCharsets;

/** Server-to-client strings (RFC 5804 §4): quoted where that is allowed, else a literal. */
public final class SieveStrings {
    private SieveStrings() {}

    /**
     * {@code "text"} with {@code "} and {@code \} escaped, or {@code {n}CRLF text} (literal-s2c)
     * when the text holds CR, LF or NUL, or is over 1024 octets (RFC 5804 §4 quoted).
     */
    public static String encode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > SieveCommandReader.MAX_QUOTED || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\0') >= 0) {
            return "{" + b.length + "}\r\n" + text;
        }
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Whether {@code name} is a valid script name (RFC 5804 §1.6): at least one character, none of
     * U+0000-001F, U+007F-009F, U+2028, U+2029, and at most {@code max} characters.
     */
    public static boolean validScriptName(String name, int max) {
        if (name.isEmpty() || name.codePointCount(0, name.length()) > max) return false;
        return name.codePoints().noneMatch(c -> c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029);
    }
}
