package dev.sealpost.sieve.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The mailto notification method (RFC 5436) and its URI (RFC 6068 §2). */
public final class Mailto {
    private Mailto() {}

    /** RFC 5435 §3.7 / RFC 5436 §2.1: the methods we know: only mailto. */
    public static boolean known(String uri) {
        int colon = uri.indexOf(':');
        return colon > 0 && uri.substring(0, colon).equalsIgnoreCase("mailto");
    }

    /** Whether {@code uri} is a valid mailto URI with at least one valid recipient (RFC 6068 §2, RFC 5436 §2.2). */
    public static boolean valid(String uri) {
        return known(uri) && recipients(uri) != null && !recipients(uri).isEmpty();
    }

    /** The recipients of a mailto URI (the path and any "to" header), or null when one is not a valid address. */
    public static List<String> recipients(String uri) {
        if (!known(uri)) return null;
        String rest = uri.substring(uri.indexOf(':') + 1);
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        List<String> raw = new ArrayList<>();
        try {
            if (!path.isEmpty()) for (String a : path.split(",")) raw.add(URLDecoder.decode(a.replace("+", "%2B"), StandardCharsets.UTF_8));
            if (q >= 0) {
                for (String h : rest.substring(q + 1).split("&")) {
                    int eq = h.indexOf('=');
                    if (eq <= 0) return null;
                    String name = URLDecoder.decode(h.substring(0, eq).replace("+", "%2B"), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                    // RFC 6068 §2: hfname is a header field name (RFC 5322 §3.6.8: printable ASCII but ':')
                    if (!name.matches("[\\x21-\\x39\\x3b-\\x7e]+")) return null;
                    if (name.equals("to")) {
                        for (String a : h.substring(eq + 1).split(",")) raw.add(URLDecoder.decode(a.replace("+", "%2B"), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return null; // a bad %-escape
        }
        List<String> out = new ArrayList<>();
        for (String a : raw) {
            String s = a.strip();
            int at = s.lastIndexOf('@');
            if (at <= 0 || at == s.length() - 1 || s.contains(" ") || s.contains("<")) return null;
            out.add(s);
        }
        return out;
    }

    /** RFC 5435 §3.5: an option is "name=value", the name starting with a letter or digit. */
    public static boolean validOption(String option) {
        return option.matches("[A-Za-z0-9][A-Za-z0-9.-]*=[^\\r\\n]*");
    }

    /** RFC 5436 §2.3: the :from of a mailto notification is one valid address. */
    public static boolean validFrom(String from) {
        String s = from.strip();
        int lt = s.lastIndexOf('<');
        if (lt >= 0 && s.endsWith(">")) s = s.substring(lt + 1, s.length() - 1);
        int at = s.lastIndexOf('@');
        return at > 0 && at < s.length() - 1 && !s.contains(" ") && s.indexOf('@') == at;
    }

    /** The value of header {@code name} given in the URI (RFC 6068 §2), or null. */
    public static String header(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) return null;
        for (String h : uri.substring(q + 1).split("&")) {
            int eq = h.indexOf('=');
            if (eq > 0 && h.substring(0, eq).equalsIgnoreCase(name)) {
                try {
                    return URLDecoder.decode(h.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
