package dev.sealpost.tlspolicy.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
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
 * The TLS-RPT record at {@code _smtp._tls.<domain>} (RFC 8460 §3), e.g.
 * {@code v=TLSRPTv1; rua=mailto:reports@example.com,https://reports.example.com/v1}.
 *
 * @param rua        where to send aggregate reports, in order
 * @param extensions other fields (ignored)
 */
public record TlsRptRecord(List<ReportUri> rua, Map<String, String> extensions) {
    public static final int MAX_LENGTH = 4096;
    public static final int MAX_FIELDS = 32;
    public static final int MAX_URIS = 10;

    private static final String VERSION = "v=TLSRPTv1";
    // tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    public TlsRptRecord {
        rua = List.copyOf(rua);
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        if (rua.isEmpty()) throw new IllegalArgumentException("rua is required");
    }

    /** A report destination (RFC 8460 §3): {@code mailto:} (§5.3.1) or {@code https:} (§5.3.2). */
    public record ReportUri(Scheme scheme, String uri) {
        /** For {@code mailto:}, the address (percent-decoded, without any {@code ?} query). */
        public Optional<String> mailbox() {
            if (scheme != Scheme.MAILTO) return Optional.empty();
            String addr = uri.substring("mailto:".length());
            int q = addr.indexOf('?');
            if (q >= 0) addr = addr.substring(0, q);
            try {
                return Optional.of(URLDecoder.decode(addr.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    public enum Scheme { MAILTO, HTTPS }

    public sealed interface Parsed permits Valid, Invalid {}

    public record Valid(TlsRptRecord record) implements Parsed {}

    public record Invalid(String reason) implements Parsed {}

    /** The DNS name the record lives at (RFC 8460 §3). */
    public static String lookupName(String policyDomain) {
        return "_smtp._tls." + policyDomain;
    }

    /** RFC 8460 §3: only records that begin with {@code v=TLSRPTv1;} are considered. */
    public static boolean isTlsRptRecord(String txt) {
        if (txt == null || !txt.startsWith(VERSION)) return false;
        String rest = txt.substring(VERSION.length()).stripLeading();
        return rest.startsWith(";");
    }

    /** Parses one TXT string per the RFC 8460 §3 ABNF. */
    public static Parsed parse(String txt) {
        if (txt == null) return new Invalid("no record");
        if (txt.length() > MAX_LENGTH) return new Invalid("record longer than " + MAX_LENGTH);
        if (!isTlsRptRecord(txt)) return new Invalid("does not start with v=TLSRPTv1;");
        // tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
        // field-delim = *WSP ";" *WSP
        String[] parts = txt.substring(VERSION.length()).split(";", -1);
        if (!isWsp(parts[0])) return new Invalid("text between version and ';'");
        if (parts.length > MAX_FIELDS + 2) return new Invalid("more than " + MAX_FIELDS + " fields");
        List<ReportUri> rua = null;
        Map<String, String> ext = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String field = stripWsp(parts[i]);
            if (field.isEmpty()) {
                if (i == parts.length - 1 && parts.length > 2) break; // the optional final delimiter
                return new Invalid("empty field");
            }
            int eq = field.indexOf('=');
            if (eq <= 0) return new Invalid("field without '=': " + field);
            String name = field.substring(0, eq), value = field.substring(eq + 1);
            if (name.equals("rua")) {
                if (rua != null) return new Invalid("duplicate rua"); // decision: ambiguous, so invalid
                List<ReportUri> uris = new ArrayList<>();
                // tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
                for (String u : value.split(",", -1)) {
                    if (uris.size() >= MAX_URIS) return new Invalid("more than " + MAX_URIS + " rua URIs");
                    Optional<ReportUri> uri = uri(stripWsp(u));
                    if (uri.isEmpty()) return new Invalid("bad rua URI: " + stripWsp(u));
                    uris.add(uri.get());
                }
                rua = uris;
            } else {
                if (!EXT_NAME.matcher(name).matches()) return new Invalid("bad field name: " + name);
                if (!EXT_VALUE.matcher(value).matches()) return new Invalid("bad value for " + name);
                ext.putIfAbsent(name, value);
            }
        }
        if (rua == null) return new Invalid("no rua field");
        return new Valid(new TlsRptRecord(rua, ext));
    }

    /**
     * Picks the record from the TXT strings at {@code _smtp._tls.<domain>}: those not starting with
     * {@code v=TLSRPTv1;} are discarded; not exactly one left, or an invalid one, means the domain
     * does not take part (RFC 8460 §3).
     */
    public static Optional<TlsRptRecord> select(List<String> txtRecords) {
        List<String> candidates = new ArrayList<>();
        for (String t : txtRecords) if (isTlsRptRecord(t)) candidates.add(t);
        if (candidates.size() != 1) return Optional.empty();
        return parse(candidates.getFirst()) instanceof Valid v ? Optional.of(v.record()) : Optional.empty();
    }

    /** Canonical text. */
    public String toText() {
        StringBuilder sb = new StringBuilder(VERSION).append("; rua=");
        for (int i = 0; i < rua.size(); i++) sb.append(i == 0 ? "" : ",").append(rua.get(i).uri());
        extensions.forEach((k, v) -> sb.append("; ").append(k).append('=').append(v));
        return sb.toString();
    }

    /** A mailto: or https: URI (other schemes are not defined for TLS-RPT: invalid). */
    private static Optional<ReportUri> uri(String s) {
        if (s.isEmpty()) return Optional.empty();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // URIs are ASCII without spaces; "," and "!" must be percent-encoded (RFC 8460 §3), ";" ends the field
            if (c <= 0x20 || c >= 0x7F || c == '!') return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "mailto" -> {
                String ssp = uri.getSchemeSpecificPart();
                if (ssp == null || ssp.isEmpty() || !ssp.contains("@")) return Optional.empty();
                return Optional.of(new ReportUri(Scheme.MAILTO, "mailto:" + s.substring(s.indexOf(':') + 1)));
            }
            case "https" -> {
                if (uri.getHost() == null || uri.getHost().isEmpty()) return Optional.empty();
                return Optional.of(new ReportUri(Scheme.HTTPS, s));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static boolean isWsp(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) != ' ' && s.charAt(i) != '\t') return false;
        return true;
    }

    private static String stripWsp(String s) {
        int b = 0, e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) b++;
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) e--;
        return s.substring(b, e);
    }
}
