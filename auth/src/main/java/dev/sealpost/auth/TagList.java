package dev.sealpost.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed tag=value list (RFC 6376 §3.2), as used by DKIM signatures and key records, ARC and
 * DMARC records.
 *
 * <pre>
 * tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
 * tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 * tag-name  =  ALPHA *ALNUMPUNC
 * tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
 * tval      =  1*VALCHAR          ; VALCHAR = %x21-3A / %x3C-7E
 * </pre>
 *
 * Tag names are case-sensitive; a duplicated name makes the whole list invalid. Values keep
 * their inner white space (callers strip it where the tag's grammar allows, e.g. base64) and
 * lose the surrounding white space. The position of each raw value is kept, so that a signature
 * field's {@code b=} value can be blanked for hashing (RFC 6376 §3.7).
 *
 * <p>Leniency (decided): bytes above 0x7E are accepted in values (UTF-8 in {@code i=}, RFC 8616
 * §4), and empty tag-specs ({@code ";;"}, seen in published key records) are skipped.
 * Bounded: at most {@link #MAX_LENGTH} characters and {@link #MAX_TAGS} tags.
 */
public final class TagList {
    /** The longest input accepted, in characters. */
    public static final int MAX_LENGTH = 64 * 1024;
    /** The most tags accepted. */
    public static final int MAX_TAGS = 64;

    /**
     * One tag.
     *
     * @param name       the tag name
     * @param value      the value without surrounding white space
     * @param rawStart   offset in the input just after the {@code =}
     * @param rawEnd     offset in the input of the terminating {@code ;} or the end
     */
    public record Tag(String name, String value, int rawStart, int rawEnd) {}

    /** The outcome of {@link #parse}. */
    public sealed interface Result permits Parsed, Invalid {}

    /** A well-formed list. */
    public record Parsed(TagList tags) implements Result {}

    /** A malformed list, with the reason. */
    public record Invalid(String reason) implements Result {}

    private final Map<String, Tag> tags;

    private TagList(Map<String, Tag> tags) {
        this.tags = Collections.unmodifiableMap(tags);
    }

    /** Parses a tag list; never throws. */
    public static Result parse(String text) {
        if (text == null) return new Invalid("no tag list");
        if (text.length() > MAX_LENGTH) return new Invalid("tag list longer than " + MAX_LENGTH);
        Map<String, Tag> map = new LinkedHashMap<>();
        int n = text.length();
        int pos = 0;
        while (pos <= n) {
            int semi = text.indexOf(';', pos);
            int end = semi < 0 ? n : semi;
            int i = skipWs(text, pos, end);
            if (i == end) { // empty tag-spec: only allowed after the last ";" (and ";;" leniently)
                if (semi < 0) break;
                pos = semi + 1;
                continue;
            }
            int nameStart = i;
            if (!alpha(text.charAt(i))) return new Invalid("tag name must start with a letter at offset " + i);
            while (i < end && (alpha(text.charAt(i)) || digit(text.charAt(i)) || text.charAt(i) == '_')) i++;
            String name = text.substring(nameStart, i);
            i = skipWs(text, i, end);
            if (i >= end || text.charAt(i) != '=') return new Invalid("tag " + name + " has no '='");
            int rawStart = i + 1;
            int vs = skipWs(text, rawStart, end);
            int ve = end;
            while (ve > vs && ws(text.charAt(ve - 1))) ve--;
            for (int k = vs; k < ve; k++) {
                char c = text.charAt(k);
                if (c < 0x21 && !ws(c) || c == 0x7f) return new Invalid("tag " + name + " has a control character in its value");
            }
            if (map.containsKey(name)) return new Invalid("duplicate tag " + name); // RFC 6376 §3.2
            if (map.size() >= MAX_TAGS) return new Invalid("more than " + MAX_TAGS + " tags");
            map.put(name, new Tag(name, text.substring(vs, ve), rawStart, end));
            if (semi < 0) break;
            pos = semi + 1;
        }
        return new Parsed(new TagList(map));
    }

    private static int skipWs(String s, int i, int end) {
        while (i < end && ws(s.charAt(i))) i++;
        return i;
    }

    // WSP, and the CR LF of FWS (folding inside a header field value)
    private static boolean ws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean alpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The value of a tag, if present. */
    public Optional<String> get(String name) {
        Tag t = tags.get(name);
        return t == null ? Optional.empty() : Optional.of(t.value());
    }

    /** The tag itself (with its raw position), if present. */
    public Optional<Tag> tag(String name) {
        return Optional.ofNullable(tags.get(name));
    }

    /** True when the tag is present. */
    public boolean has(String name) {
        return tags.containsKey(name);
    }

    /** The tags in input order. */
    public List<Tag> tags() {
        return new ArrayList<>(tags.values());
    }

    /** The number of tags. */
    public int size() {
        return tags.size();
    }

    /** A value with all white space (SP, HTAB, CR, LF) removed: for base64 values (RFC 6376 §3.5 b=, bh=; §3.6.1 p=). */
    public static String stripWhitespace(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!ws(c)) sb.append(c);
        }
        return sb.toString();
    }

    /** Splits a colon-separated value (h=, q=, k= lists), trimming white space around each item. */
    public static List<String> splitColon(String value) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == ':') {
                out.add(value.substring(start, i).strip());
                start = i + 1;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "TagList" + tags.keySet();
    }
}
