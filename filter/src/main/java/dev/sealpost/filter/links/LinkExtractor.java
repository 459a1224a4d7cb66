package dev.sealpost.filter.links;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts links from text/plain and text/html bodies. A deliberately small scanner, not an HTML
 * parser: anchors ({@code <a href>} and {@code <area href>}) with their text, and bare URLs in
 * plain text ({@code http:}, {@code https:}, {@code ftp:} and {@code www.} forms). Bounded: at most
 * {@link #MAX_TEXT} characters of a body are read, {@link #MAX_LINKS} links returned, URLs and
 * anchor texts cut at {@link #MAX_URL}. Linear in its input; never throws.
 */
public final class LinkExtractor {
    private LinkExtractor() {}

    public static final int MAX_TEXT = 2 * 1024 * 1024;
    public static final int MAX_LINKS = 500;
    public static final int MAX_URL = 4096;

    // RFC 3986 §2: the characters a URI may hold, plus what mail text commonly leaves unescaped
    private static final Pattern PLAIN = Pattern.compile(
            "(?i)\\b(?:(?:https?|ftp)://|www\\.)[^\\s<>\"'`{}|\\\\^\\[\\]\\u0000-\\u001f]{1," + MAX_URL + "}");

    /** Bare URLs in plain text; trailing punctuation ({@code .,;:!?)}) is not part of them. */
    public static List<Link> fromPlain(String text) {
        List<Link> out = new ArrayList<>();
        if (text == null) return out;
        String t = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        Matcher m = PLAIN.matcher(t);
        while (m.find() && out.size() < MAX_LINKS) {
            String u = m.group();
            int end = u.length();
            while (end > 0 && ".,;:!?)'".indexOf(u.charAt(end - 1)) >= 0) end--;
            u = u.substring(0, end);
            if (!u.isEmpty()) out.add(new Link(u, u, false));
        }
        return out;
    }

    /** Anchors of an HTML body, then bare URLs in its text outside anchors are not looked for (the anchors are what is clicked). */
    public static List<Link> fromHtml(String html) {
        List<Link> out = new ArrayList<>();
        if (html == null) return out;
        String h = html.length() > MAX_TEXT ? html.substring(0, MAX_TEXT) : html;
        int n = h.length();
        int i = 0;
        while (i < n && out.size() < MAX_LINKS) {
            int lt = h.indexOf('<', i);
            if (lt < 0 || lt + 2 > n) break;
            int nameEnd = lt + 1;
            while (nameEnd < n && Character.isLetter(h.charAt(nameEnd))) nameEnd++;
            String tag = h.substring(lt + 1, nameEnd).toLowerCase(Locale.ROOT);
            if (!tag.equals("a") && !tag.equals("area")) {
                i = lt + 1;
                continue;
            }
            int tagEnd = tagEnd(h, nameEnd);
            String href = attribute(h.substring(nameEnd, tagEnd), "href");
            i = Math.min(n, tagEnd + 1);
            if (href == null) continue;
            String text = "";
            if (tag.equals("a")) {
                int close = indexOfIgnoreCase(h, "</a", i, Math.min(n, i + MAX_URL * 4)); // bounded: no quadratic scan
                int stop = close < 0 ? Math.min(n, i + MAX_URL) : close;
                text = textOf(h.substring(i, Math.min(stop, i + MAX_URL * 4)));
                i = close < 0 ? i : close + 3;
            }
            href = entities(href).strip();
            if (href.length() > MAX_URL) href = href.substring(0, MAX_URL);
            if (text.length() > MAX_URL) text = text.substring(0, MAX_URL);
            out.add(new Link(href, text, true));
        }
        return out;
    }

    /** The end of a tag: the first {@code >} outside quotes. */
    private static int tagEnd(String h, int from) {
        char quote = 0;
        for (int k = from; k < h.length(); k++) {
            char c = h.charAt(k);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return k;
            }
        }
        return h.length();
    }

    /** An attribute's value in a tag's attribute text (quoted with " or ', or unquoted), or null. */
    static String attribute(String attrs, String name) {
        int k = 0, n = attrs.length();
        while (k < n) {
            while (k < n && (Character.isWhitespace(attrs.charAt(k)) || attrs.charAt(k) == '/')) k++;
            int s = k;
            while (k < n && !Character.isWhitespace(attrs.charAt(k)) && attrs.charAt(k) != '=' && attrs.charAt(k) != '>') k++;
            String an = attrs.substring(s, k).toLowerCase(Locale.ROOT);
            while (k < n && Character.isWhitespace(attrs.charAt(k))) k++;
            String value = "";
            if (k < n && attrs.charAt(k) == '=') {
                k++;
                while (k < n && Character.isWhitespace(attrs.charAt(k))) k++;
                if (k < n && (attrs.charAt(k) == '"' || attrs.charAt(k) == '\'')) {
                    char q = attrs.charAt(k++);
                    int e = attrs.indexOf(q, k);
                    if (e < 0) e = n;
                    value = attrs.substring(k, e);
                    k = Math.min(n, e + 1);
                } else {
                    int vs = k;
                    while (k < n && !Character.isWhitespace(attrs.charAt(k))) k++;
                    value = attrs.substring(vs, k);
                }
            }
            if (an.equals(name)) return value;
            if (s == k) k++;
        }
        return null;
    }

    /** The visible text of an anchor: tags removed, entities decoded, white space collapsed. */
    private static String textOf(String inner) {
        String t = inner.replaceAll("<[^>]{0,4096}>", " ");
        return entities(t).replaceAll("[\\s\\u00a0]+", " ").strip();
    }

    private static int indexOfIgnoreCase(String h, String what, int from, int to) {
        int n = to, m = what.length();
        for (int k = Math.max(0, from); k + m <= n; k++) {
            if (h.regionMatches(true, k, what, 0, m)) return k;
        }
        return -1;
    }

    /** HTML character references: decimal, hex and the few named ones URLs and link texts use. */
    static String entities(String s) {
        if (s.indexOf('&') < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            int semi = c == '&' ? s.indexOf(';', k) : -1;
            if (semi > k + 1 && semi - k <= 10) {
                String ent = s.substring(k + 1, semi);
                int cp = -1;
                try {
                    if (ent.startsWith("#x") || ent.startsWith("#X")) cp = Integer.parseInt(ent.substring(2), 16);
                    else if (ent.startsWith("#")) cp = Integer.parseInt(ent.substring(1));
                } catch (NumberFormatException e) {
                    cp = -1;
                }
                if (cp < 0) {
                    cp = switch (ent) {
                        case "amp" -> '&';
                        case "lt" -> '<';
                        case "gt" -> '>';
                        case "quot" -> '"';
                        case "apos" -> '\'';
                        case "nbsp" -> ' ';
                        default -> -1;
                    };
                }
                if (cp >= 0 && Character.isValidCodePoint(cp)) {
                    sb.appendCodePoint(cp);
                    k = semi;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
