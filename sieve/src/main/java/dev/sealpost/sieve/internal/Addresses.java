package dev.sealpost.sieve.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The addr-specs in an address header value (RFC 5322 §3.4), for the address test (RFC 5228
 * §5.1): display names, comments and group names are dropped; a source route is dropped.
 * Lenient: text that is not a valid address is returned as it is (trimmed), so a script can still match it.
 */
public final class Addresses {
    private Addresses() {}

    public static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int comment = 0;
        int angle = -1;
        String inAngle = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                cur.append(c);
                if (c == '\\' && i + 1 < value.length()) cur.append(value.charAt(++i));
                else if (c == '"') quoted = false;
                continue;
            }
            if (comment > 0) {
                if (c == '\\') i++;
                else if (c == '(') comment++;
                else if (c == ')') comment--;
                continue;
            }
            switch (c) {
                case '"' -> { quoted = true; cur.append(c); }
                case '(' -> comment = 1;
                case '<' -> angle = cur.length();
                case '>' -> {
                    if (angle >= 0) {
                        inAngle = cur.substring(angle);
                        angle = -1;
                    }
                }
                case ':' -> {
                    if (angle < 0) cur.setLength(0); // RFC 5322 §3.4: group name
                    else cur.append(c);
                }
                case ',', ';' -> {
                    if (angle >= 0) cur.append(c);
                    else {
                        add(out, cur, inAngle);
                        cur.setLength(0);
                        inAngle = null;
                    }
                }
                default -> cur.append(c);
            }
        }
        add(out, cur, inAngle);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur, String inAngle) {
        String a = inAngle != null ? inAngle : cur.toString();
        int colon = a.lastIndexOf(':');
        if (inAngle != null && colon >= 0 && a.startsWith("@")) a = a.substring(colon + 1); // obs-route
        a = a.strip();
        if (!a.isEmpty()) out.add(a);
    }

    /** The local part: before the last "@" (all of it when there is none). */
    public static String localPart(String addr) {
        int at = addr.lastIndexOf('@');
        return at < 0 ? addr : addr.substring(0, at);
    }

    /** The domain: after the last "@" ("" when there is none). */
    public static String domain(String addr) {
        int at = addr.lastIndexOf('@');
        return at < 0 ? "" : addr.substring(at + 1);
    }
}
