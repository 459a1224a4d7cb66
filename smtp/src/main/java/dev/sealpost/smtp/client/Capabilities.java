package dev.sealpost.smtp.client;

import dev.sealpost.smtp.proto.Reply;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the server announced in its EHLO reply (RFC 5321 §4.1.1.1): one keyword per line after
 * the first, with optional parameters.
 *
 * @param extended  true after EHLO; false after the HELO fallback (then nothing is offered)
 * @param serverName the domain in the first line of the reply
 * @param keywords  every keyword (upper case) with its parameter text ("" when none)
 */
public record Capabilities(boolean extended, String serverName, Map<String, String> keywords) {
    public Capabilities {
        keywords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
    }

    /** After HELO: no extensions. */
    public static Capabilities helo(Reply reply) {
        return new Capabilities(false, firstWord(reply.lines().getFirst()), Map.of());
    }

    /** Parses a positive EHLO reply. Unknown or odd lines are kept as keywords; nothing here throws. */
    public static Capabilities parse(Reply ehlo) {
        Map<String, String> kw = new LinkedHashMap<>();
        List<String> lines = ehlo.lines();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            int sp = l.indexOf(' ');
            String key = (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
            String params = sp < 0 ? "" : l.substring(sp + 1).strip();
            kw.putIfAbsent(key, params);
        }
        // The enhanced status code of the first line, if any, has been split off by the reader.
        return new Capabilities(true, firstWord(lines.getFirst()), kw);
    }

    private static String firstWord(String s) {
        String t = s.strip();
        int sp = t.indexOf(' ');
        return sp < 0 ? t : t.substring(0, sp);
    }

    public boolean has(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** RFC 2920. */
    public boolean pipelining() { return has("PIPELINING"); }

    /** RFC 6152. */
    public boolean eightBitMime() { return has("8BITMIME"); }

    /** RFC 3030 §3 (BINARYMIME needs CHUNKING too). */
    public boolean binaryMime() { return has("BINARYMIME") && chunking(); }

    /** RFC 3030. */
    public boolean chunking() { return has("CHUNKING"); }

    /** RFC 6531. */
    public boolean smtpUtf8() { return has("SMTPUTF8"); }

    /** RFC 3207. */
    public boolean startTls() { return has("STARTTLS"); }

    /** RFC 3461. */
    public boolean dsn() { return has("DSN"); }

    /** RFC 8689. */
    public boolean requireTls() { return has("REQUIRETLS"); }

    /** RFC 2034. */
    public boolean enhancedStatusCodes() { return has("ENHANCEDSTATUSCODES"); }

    /**
     * RFC 1870 §4: the fixed maximum message size; 0 when SIZE is offered without a limit (or
     * with a value we cannot read), -1 when SIZE is not offered.
     */
    public long size() {
        String p = keywords.get("SIZE");
        if (p == null) return -1;
        if (p.isEmpty()) return 0;
        try {
            long v = Long.parseLong(p.split(" ")[0]);
            return Math.max(v, 0);
        } catch (NumberFormatException e) {
            return 0; // unreadable limit: treat as "no announced limit", the server still enforces its own
        }
    }

    /** RFC 4954 §3: the AUTH mechanisms (upper case). Also reads the pre-standard {@code AUTH=} form. */
    public Set<String> authMechanisms() {
        Set<String> out = new LinkedHashSet<>();
        for (String key : List.of("AUTH", "AUTH=")) {
            String p = keywords.get(key);
            if (p != null) for (String m : p.split(" ")) if (!m.isBlank()) out.add(m.toUpperCase(Locale.ROOT));
        }
        // "AUTH=PLAIN LOGIN" parses as keyword "AUTH=PLAIN" with parameter "LOGIN"
        keywords.forEach((k, v) -> {
            if (k.startsWith("AUTH=") && k.length() > 5) {
                out.add(k.substring(5));
                for (String m : v.split(" ")) if (!m.isBlank()) out.add(m.toUpperCase(Locale.ROOT));
            }
        });
        return out;
    }
}
