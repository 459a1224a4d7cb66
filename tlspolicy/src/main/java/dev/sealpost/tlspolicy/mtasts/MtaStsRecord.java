package dev.sealpost.tlspolicy.mtasts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MTA-STS TXT record at {@code _mta-sts.<domain>} (RFC 8461 §3.1), e.g.
 * {@code v=STSv1; id=20160831085700Z;}.
 *
 * @param id         the policy id (1-32 letters and digits); a change tells senders to refetch
 * @param extensions other fields, in order (ignored by us, kept for diagnostics)
 */
public record MtaStsRecord(String id, Map<String, String> extensions) {
    /** Longest TXT record text we parse. */
    public static final int MAX_LENGTH = 4096;
    /** Most fields in one record. */
    public static final int MAX_FIELDS = 32;

    private static final String VERSION = "v=STSv1";
    // RFC 8461 §3.1: sts-id = %s"id=" 1*32(ALPHA / DIGIT)
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    // sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    public MtaStsRecord {
        extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** The outcome of parsing one TXT string. */
    public sealed interface Parsed permits Valid, Invalid {}

    public record Valid(MtaStsRecord record) implements Parsed {}

    public record Invalid(String reason) implements Parsed {}

    /** The DNS name the record lives at. */
    public static String lookupName(String policyDomain) {
        return "_mta-sts." + policyDomain;
    }

    /** Whether the TXT string claims to be an MTA-STS record (starts with {@code v=STSv1}). */
    public static boolean isStsRecord(String txt) {
        if (txt == null || !txt.startsWith(VERSION)) return false;
        if (txt.length() == VERSION.length()) return true;
        char c = txt.charAt(VERSION.length());
        return c == ';' || c == ' ' || c == '\t';
    }

    /** Parses one TXT string per the RFC 8461 §3.1 ABNF. */
    public static Parsed parse(String txt) {
        if (txt == null) return new Invalid("no record");
        if (txt.length() > MAX_LENGTH) return new Invalid("record longer than " + MAX_LENGTH);
        if (!isStsRecord(txt)) return new Invalid("does not start with v=STSv1");
        // sts-text-record = sts-version 1*(*WSP field-delim *WSP sts-field) [field-delim]
        String rest = txt.substring(VERSION.length());
        String[] parts = rest.split(";", -1);
        if (!isWsp(parts[0])) return new Invalid("text between v=STSv1 and ';'");
        if (parts.length > MAX_FIELDS + 2) return new Invalid("more than " + MAX_FIELDS + " fields");
        String id = null;
        Map<String, String> ext = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String field = stripWsp(parts[i]);
            if (field.isEmpty()) {
                // only the optional trailing delimiter (possibly followed by WSP: a leniency, the
                // ABNF has no WSP after the final ";") may leave an empty field
                if (i == parts.length - 1 && parts.length > 2) break;
                return new Invalid("empty field");
            }
            int eq = field.indexOf('=');
            if (eq <= 0) return new Invalid("field without '=': " + field);
            String name = field.substring(0, eq), value = field.substring(eq + 1);
            if (name.equals("id")) { // names are case-sensitive (%s)
                if (id != null) return new Invalid("duplicate id"); // decision: ambiguous, so invalid
                if (!ID.matcher(value).matches()) return new Invalid("id must be 1-32 letters or digits");
                id = value;
            } else {
                if (!EXT_NAME.matcher(name).matches()) return new Invalid("bad field name: " + name);
                if (!EXT_VALUE.matcher(value).matches()) return new Invalid("bad value for " + name);
                ext.putIfAbsent(name, value);
            }
        }
        // RFC 8461 §3.1: "id" is required
        if (id == null) return new Invalid("no id field");
        return new Valid(new MtaStsRecord(id, ext));
    }

    /**
     * Picks the record from all TXT strings at {@code _mta-sts.<domain>}: strings that do not start
     * with {@code v=STSv1} are ignored; more than one such record means no policy (RFC 8461 §3.1),
     * as does an invalid one.
     */
    public static Optional<MtaStsRecord> select(List<String> txtRecords) {
        List<String> candidates = new ArrayList<>();
        for (String t : txtRecords) if (isStsRecord(t)) candidates.add(t);
        if (candidates.size() != 1) return Optional.empty();
        return parse(candidates.getFirst()) instanceof Valid v ? Optional.of(v.record()) : Optional.empty();
    }

    /** Canonical text, e.g. {@code v=STSv1; id=20240101T000000;} (for publishing our own record). */
    public String toText() {
        StringBuilder sb = new StringBuilder(VERSION).append("; id=").append(id).append(';');
        extensions.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v).append(';'));
        return sb.toString();
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
