package dev.sealpost.filter.links;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** URL pieces the link checks need: the host, IP literals, and URLs embedded in a query (redirectors). */
public final class Urls {
    private Urls() {}

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]{0,31}):");
    private static final int MAX_TARGETS = 16;
    private static final int MAX_NESTING = 5;

    /**
     * The host of an http, https or ftp URL (or a {@code www.} URL without a scheme), lower case,
     * percent-decoded, without user information, port and trailing dot; null for other schemes,
     * relative links and empty hosts. Backslashes count as slashes in the authority, as browsers do.
     */
    public static String host(String url) {
        if (url == null) return null;
        String u = url.strip();
        if (u.regionMatches(true, 0, "www.", 0, 4)) u = "http://" + u;
        var m = SCHEME.matcher(u);
        if (!m.find()) return null;
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ftp")) return null;
        String rest = u.substring(m.end()).replace('\\', '/');
        int s = 0;
        while (s < rest.length() && rest.charAt(s) == '/') s++;
        if (s == 0) return null;
        rest = rest.substring(s);
        int end = rest.length();
        for (int k = 0; k < rest.length(); k++) {
            char c = rest.charAt(k);
            if (c == '/' || c == '?' || c == '#') {
                end = k;
                break;
            }
        }
        String authority = rest.substring(0, end);
        // RFC 3986 §3.2.1: user information ends at the last "@" of the authority
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority.substring(1) : authority.substring(1, close);
            return host.isEmpty() ? null : "[" + host.toLowerCase(Locale.ROOT) + "]";
        }
        int colon = authority.indexOf(':');
        host = colon < 0 ? authority : authority.substring(0, colon);
        host = percentDecode(host).toLowerCase(Locale.ROOT);
        // IDNA (RFC 3490 §3.1): the ideographic full stops separate labels too
        host = host.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        while (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        return host.isEmpty() || host.length() > 1024 ? null : host;
    }

    /**
     * True for an IP literal host: IPv6 in brackets, or an IPv4 address in any form browsers accept
     * (dotted quad, one to four parts, decimal, octal with a leading 0 or hex with 0x: {@code 3232235777},
     * {@code 0xC0.0xA8.1.1}).
     */
    public static boolean isIp(String host) {
        if (host == null || host.isEmpty()) return false;
        if (host.startsWith("[")) return true;
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) return false;
        for (String p : parts) {
            if (p.isEmpty()) return false;
            if (p.startsWith("0x") || p.startsWith("0X")) {
                if (!p.substring(2).matches("[0-9a-fA-F]{0,8}")) return false;
            } else if (!p.matches("[0-9]{1,10}")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The final targets of URLs embedded in {@code url}'s query (redirectors): each query value
     * that, percent-decoded once, is an http(s) URL is followed (to {@value #MAX_NESTING} levels);
     * a URL with no embedded URL is a final target. Empty when {@code url} embeds none.
     */
    public static List<String> embeddedTargets(String url) {
        List<String> out = new ArrayList<>();
        collect(url, 0, out);
        return out;
    }

    private static void collect(String url, int depth, List<String> out) {
        for (String child : embedded(url)) {
            if (out.size() >= MAX_TARGETS) return;
            List<String> grand = depth + 1 < MAX_NESTING ? embedded(child) : List.of();
            if (grand.isEmpty()) out.add(child);
            else collect(child, depth + 1, out);
        }
    }

    private static List<String> embedded(String url) {
        List<String> out = new ArrayList<>();
        int q = url.indexOf('?');
        if (q < 0) return out;
        int hash = url.indexOf('#', q);
        String query = url.substring(q + 1, hash < 0 ? url.length() : hash);
        for (String pair : query.split("[&;]", 64)) {
            int eq = pair.indexOf('=');
            String v = percentDecode((eq < 0 ? pair : pair.substring(eq + 1)).replace('+', ' ')).strip();
            if (v.regionMatches(true, 0, "http://", 0, 7) || v.regionMatches(true, 0, "https://", 0, 8)) {
                out.add(v);
                if (out.size() >= MAX_TARGETS) break;
            }
        }
        return out;
    }

    /** RFC 3986 §2.1 percent-decoding as UTF-8; a malformed escape is kept as it is. */
    public static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
