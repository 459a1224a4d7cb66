package dev.sealpost.auth.arc;

import dev.sealpost.auth.TagList;
import dev.sealpost.core.mail.Domain;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** Shared pieces of the ARC header parsers: strict tag lists, instance numbers, domains, numbers. */
final class ArcTags {
    private ArcTags() {}

    /** RFC 8617 §4.2.1: at most 50 ARC Sets. */
    static final int MAX_INSTANCE = 50;

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    // RFC 6376 §3.1 selector = sub-domain *( "." sub-domain ); "_" accepted leniently, as for DKIM
    private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");
    // RFC 5322 §3.6.8 field-name = 1*ftext
    static final Pattern FIELD_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]+");

    /**
     * A tag list (RFC 6376 §3.2) without the leniency {@link TagList} keeps for key records:
     * an empty tag-spec is allowed only after the last {@code ;} (ARC header fields are made by
     * signers, never hand-written).
     */
    static TagList.Result tagList(String value) {
        if (value == null) return new TagList.Invalid("no value");
        TagList.Result r = TagList.parse(value);
        if (!(r instanceof TagList.Parsed)) return r;
        int last = -1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) != ';') continue;
            if (last >= 0 && value.substring(last + 1, i).isBlank()) return new TagList.Invalid("empty tag-spec at offset " + i);
            last = i;
        }
        int first = value.indexOf(';');
        if (first >= 0 && value.substring(0, first).isBlank()) return new TagList.Invalid("empty tag-spec at offset 0");
        return r;
    }

    /** RFC 8617 §4.2.1 instance: 1*DIGIT in 1..50; -1 when not. */
    static int instance(String v) {
        if (v == null || v.isEmpty() || v.length() > 3 || !DIGITS.matcher(v).matches()) return -1;
        int i = Integer.parseInt(v);
        return i >= 1 && i <= MAX_INSTANCE ? i : -1;
    }

    /** A {@code d=} value as a lower-case A-label domain, or null (RFC 6376 §3.5 d=). */
    static String domain(String d) {
        if (d == null || d.isEmpty() || d.length() > 253 || !d.chars().allMatch(ch -> ch > 0x20 && ch != '(' && ch != '@')) return null;
        return Domain.toAscii(d).orElse(null);
    }

    static boolean selector(String s) {
        return s != null && s.length() <= 253 && SELECTOR.matcher(s).matches();
    }

    /** Base64 with white space removed; null when not base64 or empty. */
    static byte[] base64(String v) {
        String s = TagList.stripWhitespace(v);
        if (s.isEmpty()) return null;
        try {
            byte[] b = Base64.getDecoder().decode(s);
            return b.length == 0 ? null : b;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 6376 §3.5 t=, x=: decimal seconds; over 12 digits is "infinite" ({@link Long#MAX_VALUE}); -2 when not a number. */
    static long seconds(String v) {
        if (v == null || !DIGITS.matcher(v).matches()) return -2;
        String s = v.replaceFirst("^0+(?=.)", "");
        return s.length() > 12 ? Long.MAX_VALUE : Long.parseLong(s);
    }

    /**
     * Splits an Authentication-Results style value at the {@code ;} that are outside quoted
     * strings and comments; each piece is unfolded, its white space runs made one space, and
     * trimmed. Empty pieces are dropped.
     */
    static List<String> splitResults(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || depth > 0) && i + 1 < value.length()) {
                cur.append(c).append(value.charAt(++i));
                continue;
            }
            if (quoted) {
                if (c == '"') quoted = false;
            } else if (c == '"' && depth == 0) {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == ';' && depth == 0) {
                add(out, cur);
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder piece) {
        String s = collapse(piece.toString());
        if (!s.isEmpty()) out.add(s);
    }

    /** Unfolds (CR, LF removed) and turns each run of white space into one space, trimmed. */
    static String collapse(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
            } else {
                if (space && !b.isEmpty()) b.append(' ');
                space = false;
                b.append(c);
            }
        }
        return b.toString();
    }
}
