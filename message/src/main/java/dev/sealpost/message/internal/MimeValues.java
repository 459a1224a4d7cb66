package dev.sealpost.message.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parsers for structured MIME header values: Content-Type (RFC 2045 §5.1), Content-Disposition
 * (RFC 2183), parameters with RFC 2231 continuations and charsets, Content-Transfer-Encoding
 * (RFC 2045 §6.1) and Content-Language (RFC 3282). Never throw; an invalid value gives null.
 */
public final class MimeValues {
    /** A media type with its parameters; type and subtype lower case. */
    public record MediaType(String type, String subtype, Map<String, String> params) {}

    /** A disposition type (lower case) with its parameters. */
    public record Disposition(String type, Map<String, String> params) {}

    private static final int MAX_SECTIONS = 1000;

    private MimeValues() {}

    /** RFC 2045 §5.1 {@code type "/" subtype *(";" parameter)}; null when the value is invalid. */
    public static MediaType contentType(String value) {
        Cursor c = new Cursor(value);
        String type = c.token();
        if (type == null) return null;
        c.skipCfws();
        if (!c.eat('/')) return null;
        String subtype = c.token();
        if (subtype == null) return null;
        return new MediaType(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), params(c));
    }

    /** RFC 2183 {@code disposition-type *(";" disposition-parm)}; null when there is no type. */
    public static Disposition disposition(String value) {
        Cursor c = new Cursor(value);
        String type = c.token();
        if (type == null) return null;
        return new Disposition(type.toLowerCase(Locale.ROOT), params(c));
    }

    /** RFC 2045 §6.1 mechanism, lower case; {@code 7bit} when absent or empty. */
    public static String transferEncoding(String value) {
        if (value == null) return "7bit";
        String t = new Cursor(value).token();
        return t == null ? "7bit" : t.toLowerCase(Locale.ROOT);
    }

    /** RFC 3282 {@code Language-List}: comma-separated tags, comments removed. */
    public static List<String> languages(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        Cursor c = new Cursor(value);
        while (!c.atEnd()) {
            c.skipCfws();
            String t = c.token();
            if (t != null) {
                out.add(t);
            } else if (!c.atEnd()) {
                c.pos++; // "," or junk
            }
            if (out.size() >= 100) break;
        }
        return out;
    }

    /**
     * Parameters after the type. RFC 2231 §3 continuations ({@code name*0}, {@code name*1*}) are
     * joined in section order and §4 extended values ({@code charset'lang'%XX}) decoded; an extended
     * value replaces a plain one of the same name. Leniency: an unquoted value runs to the next
     * ";" or comment (so {@code boundary=----=_x} and unquoted names with spaces work), and a
     * parameter without "=" is skipped.
     */
    static Map<String, String> params(Cursor c) {
        record Raw(String name, String value) {}
        List<Raw> raw = new ArrayList<>();
        while (true) {
            c.skipCfws();
            if (c.atEnd()) break;
            if (!c.eat(';')) {
                c.skipTo(';');
                continue;
            }
            c.skipCfws();
            String name = c.token();
            if (name == null) continue;
            c.skipCfws();
            if (!c.eat('=')) continue;
            c.skipCfws();
            String v = c.peek() == '"' ? c.quoted() : c.unquotedValue();
            raw.add(new Raw(name.toLowerCase(Locale.ROOT), v));
            if (raw.size() >= 10_000) break;
        }
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> extended = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, Section>> sections = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (Raw r : raw) {
            String n = r.name();
            int star = n.indexOf('*');
            String base = star < 0 ? n : n.substring(0, star);
            if (base.isEmpty()) continue;
            if (!order.contains(base)) order.add(base);
            if (star < 0) {
                plain.putIfAbsent(base, r.value());
            } else if (star == n.length() - 1) {
                // RFC 2231 §4: name*=charset'language'value
                extended.putIfAbsent(base, decodeExtended(r.value()));
            } else {
                // RFC 2231 §3: name*N or name*N*
                String rest = n.substring(star + 1);
                boolean enc = rest.endsWith("*");
                String digits = enc ? rest.substring(0, rest.length() - 1) : rest;
                if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) continue;
                int idx = Integer.parseInt(digits);
                if (idx >= MAX_SECTIONS || (digits.length() > 1 && digits.charAt(0) == '0')) continue;
                sections.computeIfAbsent(base, k -> new TreeMap<>()).putIfAbsent(idx, new Section(enc, r.value()));
            }
        }
        for (var e : sections.entrySet()) {
            if (extended.containsKey(e.getKey())) continue;
            String joined = joinSections(e.getValue());
            if (joined != null) extended.put(e.getKey(), joined);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String base : order) {
            String v = extended.containsKey(base) ? extended.get(base) : plain.get(base);
            if (v != null) out.put(base, v);
        }
        return out;
    }

    private record Section(boolean encoded, String value) {}

    /** Joins sections 0, 1, 2, ... up to the first gap; null when there is no section 0. */
    private static String joinSections(TreeMap<Integer, Section> secs) {
        if (!secs.containsKey(0)) return null;
        Charset cs = null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; secs.containsKey(i); i++) {
            Section sec = secs.get(i);
            String v = sec.value();
            if (sec.encoded()) {
                if (i == 0) {
                    // RFC 2231 §4.1: only the first section carries charset'language'
                    String[] d = splitCharset(v);
                    cs = d[0] == null ? null : Text.charset(d[0]);
                    v = d[1];
                }
                percentDecode(v, bytes);
            } else {
                bytes.writeBytes(v.getBytes(cs == null ? StandardCharsets.UTF_8 : cs));
            }
        }
        return new String(bytes.toByteArray(), cs == null ? StandardCharsets.UTF_8 : cs);
    }

    /** RFC 2231 §4: {@code charset'language'percent-encoded}; an unknown charset decodes as UTF-8. */
    private static String decodeExtended(String v) {
        String[] d = splitCharset(v);
        Charset cs = d[0] == null ? null : Text.charset(d[0]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        percentDecode(d[1], bytes);
        return new String(bytes.toByteArray(), cs == null ? StandardCharsets.UTF_8 : cs);
    }

    /** {charset or null, rest}; leniency: a value without the two quotes is taken as plain text. */
    private static String[] splitCharset(String v) {
        int q1 = v.indexOf('\'');
        int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
        if (q2 < 0) return new String[]{null, v};
        return new String[]{v.substring(0, q1), v.substring(q2 + 1)};
    }

    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '%' && i + 2 < v.length() && Text.hex(v.charAt(i + 1)) >= 0 && Text.hex(v.charAt(i + 2)) >= 0) {
                out.write(Text.hex(v.charAt(i + 1)) << 4 | Text.hex(v.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** A cursor over a structured header value with RFC 5322 CFWS skipping. */
    static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s == null ? "" : s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        boolean eat(char ch) {
            if (peek() == ch && !atEnd()) {
                pos++;
                return true;
            }
            return false;
        }

        void skipTo(char ch) {
            while (!atEnd() && s.charAt(pos) != ch) {
                if (s.charAt(pos) == '"') {
                    quoted();
                } else {
                    pos++;
                }
            }
        }

        /** Skips white space and (nested) comments (RFC 5322 §3.2.2). */
        void skipCfws() {
            while (!atEnd()) {
                char ch = s.charAt(pos);
                if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
                    pos++;
                } else if (ch == '(') {
                    comment();
                } else {
                    break;
                }
            }
        }

        /** Reads a comment at {@code pos} ("(" included); returns its text without the outer parentheses. */
        String comment() {
            StringBuilder b = new StringBuilder();
            int depth = 0;
            while (!atEnd()) {
                char ch = s.charAt(pos++);
                if (ch == '\\' && !atEnd()) {
                    b.append(s.charAt(pos++));
                    continue;
                }
                if (ch == '(') {
                    if (depth++ == 0) continue;
                } else if (ch == ')') {
                    if (--depth == 0) break;
                }
                b.append(ch);
            }
            return b.toString();
        }

        /** RFC 2045 §5.1 token (leniency: octets above 127 are accepted); null when none. */
        String token() {
            skipCfws();
            int start = pos;
            while (!atEnd() && isTokenChar(s.charAt(pos))) pos++;
            return pos == start ? null : s.substring(start, pos);
        }

        /** A quoted-string at {@code pos}, unescaped; an unterminated one runs to the end. */
        String quoted() {
            StringBuilder b = new StringBuilder();
            pos++; // opening quote
            while (!atEnd()) {
                char ch = s.charAt(pos++);
                if (ch == '"') break;
                if (ch == '\\' && !atEnd()) ch = s.charAt(pos++);
                b.append(ch);
            }
            return b.toString();
        }

        String unquotedValue() {
            int start = pos;
            while (!atEnd() && s.charAt(pos) != ';' && s.charAt(pos) != '(') pos++;
            return s.substring(start, pos).strip();
        }

        static boolean isTokenChar(char ch) {
            if (ch <= ' ' || ch == 0x7f) return false;
            return "()<>@,;:\\\"/[]?=".indexOf(ch) < 0;
        }
    }
}
