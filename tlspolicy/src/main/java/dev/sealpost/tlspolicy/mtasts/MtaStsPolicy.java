package dev.sealpost.tlspolicy.mtasts;

import dev.sealpost.tlspolicy.internal.HostNames;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An MTA-STS policy (RFC 8461 §3.2), as served at
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}.
 *
 * @param mode           enforce, testing or none
 * @param mx             MX patterns: host names or {@code *.}-wildcards, lower-case A-labels
 * @param maxAgeSeconds  how long a sender may cache the policy, 0..{@value #MAX_MAX_AGE}
 * @param extensions     unknown fields, first value of each (ignored, RFC 8461 §3.2)
 */
public record MtaStsPolicy(Mode mode, List<String> mx, long maxAgeSeconds, Map<String, String> extensions) {
    /** Largest policy body we read: RFC 8461 §3.3 suggests senders limit the size; 64 KiB, as common practice. */
    public static final int MAX_BYTES = 64 * 1024;
    /** RFC 8461 §3.2: max_age "up to 31557600" seconds (one year). */
    public static final long MAX_MAX_AGE = 31_557_600L;
    /** Most {@code mx} lines we keep. */
    public static final int MAX_MX = 1000;

    // sts-policy-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // sts-policy-max-age-value = 1*10(DIGIT)
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");

    public MtaStsPolicy {
        mx = List.copyOf(mx);
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        if (maxAgeSeconds < 0 || maxAgeSeconds > MAX_MAX_AGE) throw new IllegalArgumentException("max_age " + maxAgeSeconds);
        if (mode != Mode.NONE && mx.isEmpty()) throw new IllegalArgumentException("mode " + mode.token() + " needs mx patterns");
    }

    /** RFC 8461 §5: what a sender does with an MX that fails the policy. */
    public enum Mode {
        /** Do not deliver to an MX that fails (does not match, no valid TLS). */
        ENFORCE("enforce"),
        /** Deliver anyway, but report failures (TLS-RPT). */
        TESTING("testing"),
        /** No policy: used to withdraw one. */
        NONE("none");

        private final String token;

        Mode(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }

        /** Case-sensitive, as the ABNF's {@code %s} strings. */
        public static Optional<Mode> of(String token) {
            for (Mode m : values()) if (m.token.equals(token)) return Optional.of(m);
            return Optional.empty();
        }
    }

    public sealed interface Parsed permits Valid, Invalid {}

    public record Valid(MtaStsPolicy policy) implements Parsed {}

    public record Invalid(String reason) implements Parsed {}

    /** Parses a policy body: strict UTF-8, at most {@link #MAX_BYTES}. */
    public static Parsed parse(byte[] body) {
        if (body.length > MAX_BYTES) return new Invalid("policy larger than " + MAX_BYTES + " bytes");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return new Invalid("policy is not UTF-8");
        }
        return parse(text);
    }

    /** Parses a policy text (RFC 8461 §3.2 ABNF): {@code key: value} lines ending in LF or CRLF. */
    public static Parsed parse(String text) {
        if (text.length() > MAX_BYTES) return new Invalid("policy larger than " + MAX_BYTES + " characters");
        String version = null, mode = null, maxAge = null;
        List<String> mx = new ArrayList<>();
        Map<String, String> ext = new LinkedHashMap<>();
        // sts-policy-term = LF / CRLF
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            // Leniency: blank lines are skipped (the ABNF allows only one final terminator); they carry nothing.
            if (line.isEmpty()) continue;
            if (line.indexOf('\r') >= 0) return new Invalid("bare CR on line " + (n + 1));
            int colon = line.indexOf(':');
            if (colon <= 0) return new Invalid("line " + (n + 1) + " is not \"key: value\"");
            String key = line.substring(0, colon);
            if (!KEY.matcher(key).matches()) return new Invalid("bad key on line " + (n + 1));
            // sts-policy-field-delim = ":" *WSP ; the field is followed by *WSP
            String value = stripWsp(line.substring(colon + 1));
            if (!validValue(value)) return new Invalid("bad value for " + key + " on line " + (n + 1));
            // Decision: for a repeated field other than mx the first value counts.
            switch (key) { // field names are case-sensitive (%s)
                case "version" -> version = version == null ? value : version;
                case "mode" -> mode = mode == null ? value : mode;
                case "max_age" -> maxAge = maxAge == null ? value : maxAge;
                case "mx" -> {
                    if (mx.size() >= MAX_MX) return new Invalid("more than " + MAX_MX + " mx lines");
                    Optional<String> pattern = mxPattern(value);
                    if (pattern.isEmpty()) return new Invalid("bad mx pattern: " + value);
                    if (!mx.contains(pattern.get())) mx.add(pattern.get());
                }
                default -> ext.putIfAbsent(key, value); // RFC 8461 §3.2: unknown fields are ignored
            }
        }
        if (version == null) return new Invalid("no version field");
        if (!version.equals("STSv1")) return new Invalid("version is not STSv1");
        if (mode == null) return new Invalid("no mode field");
        Optional<Mode> m = Mode.of(mode);
        if (m.isEmpty()) return new Invalid("mode must be enforce, testing or none");
        if (maxAge == null) return new Invalid("no max_age field");
        if (!MAX_AGE.matcher(maxAge).matches()) return new Invalid("max_age must be 1-10 digits");
        // Leniency: a max_age above the RFC 8461 §3.2 maximum is capped rather than losing the policy.
        long age = Math.min(Long.parseLong(maxAge), MAX_MAX_AGE);
        // RFC 8461 §3.2: mx is required unless the mode is "none"
        if (m.get() != Mode.NONE && mx.isEmpty()) return new Invalid("no mx field");
        return new Valid(new MtaStsPolicy(m.get(), mx, age, ext));
    }

    /** Whether an MX host name is allowed by this policy (RFC 8461 §4.1). */
    public boolean mxMatches(String mxHost) {
        for (String pattern : mx) if (HostNames.matches(pattern, mxHost)) return true;
        return false;
    }

    /** The policy text for hosting (RFC 8461 §3.2), CRLF line ends, version first. */
    public String toText() {
        StringBuilder sb = new StringBuilder("version: STSv1\r\n");
        sb.append("mode: ").append(mode.token()).append("\r\n");
        for (String m : mx) sb.append("mx: ").append(m).append("\r\n");
        sb.append("max_age: ").append(maxAgeSeconds).append("\r\n");
        extensions.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        return sb.toString();
    }

    /** {@code ["*."] Domain}, normalised to lower-case A-labels. */
    static Optional<String> mxPattern(String value) {
        boolean wildcard = value.startsWith("*.");
        String domain = wildcard ? value.substring(2) : value;
        // Leniency: a trailing dot (not in RFC 5321's Domain) is accepted and dropped; seen in published policies.
        return HostNames.normalize(domain).map(d -> (wildcard ? "*." : "") + d.toLowerCase(Locale.ROOT));
    }

    // sts-policy-ext-value = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]
    // sts-policy-vchar = %x21-7E / UTF8-2 / UTF8-3 / UTF8-4
    private static boolean validValue(String v) {
        if (v.isEmpty()) return false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) return false; // controls (incl. TAB inside)
        }
        return v.charAt(0) != ' ' && v.charAt(v.length() - 1) != ' ';
    }

    private static String stripWsp(String s) {
        int b = 0, e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) b++;
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) e--;
        return s.substring(b, e);
    }
}
