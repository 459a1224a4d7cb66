package dev.sealpost.lists.post;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The body check of a one-click unsubscribe request (RFC 8058 §3.2): the receiver POSTs
 * {@code List-Unsubscribe=One-Click} to the List-Unsubscribe HTTPS URI, as
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data}. The web endpoint
 * unsubscribes only when this holds and the token in the URI verifies; a GET never unsubscribes
 * (link scanners follow GETs). Bounded: bodies over {@link #MAX_BODY} octets are refused.
 */
public final class OneClick {
    public static final int MAX_BODY = 8192;

    private OneClick() {}

    /** True when the POST body carries {@code List-Unsubscribe=One-Click}. */
    public static boolean accepts(String contentType, byte[] body) {
        if (contentType == null || body == null || body.length > MAX_BODY) return false;
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (type.equals("application/x-www-form-urlencoded")) {
            for (String pair : text.strip().split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) continue;
                try {
                    String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    if (k.equals("List-Unsubscribe") && v.equals("One-Click")) return true;
                } catch (IllegalArgumentException e) {
                    return false; // a malformed %-escape
                }
            }
            return false;
        }
        if (type.equals("multipart/form-data")) {
            // RFC 7578 §4.2: a part with Content-Disposition: form-data; name="List-Unsubscribe"
            for (String part : text.split("\r?\n--")) {
                int split = part.indexOf("\r\n\r\n");
                int skip = 4;
                if (split < 0) { split = part.indexOf("\n\n"); skip = 2; }
                if (split < 0) continue;
                String head = part.substring(0, split).toLowerCase(Locale.ROOT);
                String value = part.substring(split + skip).strip();
                if (head.matches("(?s).*content-disposition:\\s*form-data\\s*;[^\\n]*name=\"?list-unsubscribe\"?.*") && value.equals("One-Click")) {
                    return true;
                }
            }
        }
        return false;
    }
}
