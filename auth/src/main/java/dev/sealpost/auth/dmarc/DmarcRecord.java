package dev.sealpost.auth.dmarc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed DMARC policy record (RFC 7489 §6.3, §6.4; the {@code np} tag from DMARCbis / RFC 9091).
 *
 * <p>{@code policy} is {@code null} when {@code p} is missing or invalid; {@code subdomainPolicy}
 * and {@code nonExistentPolicy} are {@code null} when absent (see {@link #effectiveSubdomainPolicy()}).
 * What to do with a record lacking a valid {@code p} is policy discovery's decision
 * ({@link #forPolicyDiscovery()}, RFC 7489 §6.6.3), so such a record still parses: the
 * {@code _report._dmarc} records of §7.1 carry only {@code v=DMARC1}.
 *
 * @param policy            {@code p}, or null when missing/invalid
 * @param subdomainPolicy   {@code sp}, or null when absent
 * @param nonExistentPolicy {@code np} (DMARCbis), or null when absent
 * @param subdomainPolicyInvalid true when an {@code sp} tag was present but its value invalid (RFC 7489 §6.6.3)
 * @param percent           {@code pct}, 0..100, default 100
 * @param dkimAlignment     {@code adkim}, default relaxed
 * @param spfAlignment      {@code aspf}, default relaxed
 * @param aggregateReportUris {@code rua}, the syntactically valid URIs (invalid ones dropped)
 * @param failureReportUris {@code ruf}, likewise
 * @param failureOptions    {@code fo}, default {0}
 * @param reportFormats     {@code rf}, default [afrf]
 * @param reportInterval    {@code ri} in seconds, default 86400
 * @param warnings          what was ignored or defaulted, for logs and reports
 */
public record DmarcRecord(Policy policy, Policy subdomainPolicy, Policy nonExistentPolicy, boolean subdomainPolicyInvalid,
                          int percent, Alignment dkimAlignment, Alignment spfAlignment,
                          List<ReportUri> aggregateReportUris, List<ReportUri> failureReportUris,
                          Set<FailureOption> failureOptions, List<String> reportFormats, long reportInterval,
                          List<String> warnings) {

    /** Longest record we parse; real records are well under 1 KB. */
    public static final int MAX_LENGTH = 8192;
    /** Most tags in one record. */
    public static final int MAX_TAGS = 64;
    /** Most URIs kept per {@code rua}/{@code ruf} (RFC 7489 §6.2: receivers MAY limit, MUST support at least two). */
    public static final int MAX_URIS = 10;
    public static final long DEFAULT_INTERVAL = 86_400;
    /** Sizes in {@code !size} above this (1 PiB) are clamped to it. */
    public static final long MAX_SIZE = 1L << 50;

    public DmarcRecord {
        aggregateReportUris = List.copyOf(aggregateReportUris);
        failureReportUris = List.copyOf(failureReportUris);
        failureOptions = failureOptions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(failureOptions));
        reportFormats = List.copyOf(reportFormats);
        warnings = List.copyOf(warnings);
        if (percent < 0 || percent > 100) throw new IllegalArgumentException("pct " + percent);
    }

    /** Requested handling (RFC 7489 §6.3 {@code p}, {@code sp}; DMARCbis {@code np}). */
    public enum Policy {
        NONE, QUARANTINE, REJECT;

        public String keyword() { return name().toLowerCase(Locale.ROOT); }

        /** RFC 7489 §6.6.4: a message not selected by {@code pct} sampling gets the next weaker policy. */
        public Policy weaker() {
            return switch (this) {
                case REJECT -> QUARANTINE;
                case QUARANTINE, NONE -> NONE;
            };
        }

        static Policy parse(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "quarantine" -> QUARANTINE;
                case "reject" -> REJECT;
                default -> null;
            };
        }
    }

    /** Identifier alignment mode (RFC 7489 §3.1). */
    public enum Alignment {
        RELAXED, STRICT;

        public String keyword() { return this == RELAXED ? "r" : "s"; }
    }

    /** Failure reporting options, {@code fo} (RFC 7489 §6.3). */
    public enum FailureOption {
        /** 0: report when all mechanisms fail to produce an aligned pass. */
        ALL_FAIL("0"),
        /** 1: report when any mechanism produces something other than an aligned pass. */
        ANY_FAIL("1"),
        /** d: report DKIM failures. */
        DKIM("d"),
        /** s: report SPF failures. */
        SPF("s");

        private final String keyword;

        FailureOption(String keyword) { this.keyword = keyword; }

        public String keyword() { return keyword; }
    }

    /**
     * One {@code rua}/{@code ruf} destination (RFC 7489 §6.4 {@code dmarc-uri}).
     *
     * @param uri      the URI, as written
     * @param maxBytes the size limit from {@code !size}, or -1 for none
     */
    public record ReportUri(String uri, long maxBytes) {
        /** The address of a {@code mailto:} URI (first address, query stripped, %-decoding of ASCII), if it is one. */
        public Optional<String> mailbox() {
            if (uri.length() < 8 || !uri.regionMatches(true, 0, "mailto:", 0, 7)) return Optional.empty();
            String to = uri.substring(7);
            int q = to.indexOf('?');
            if (q >= 0) to = to.substring(0, q);
            int comma = to.indexOf(',');
            if (comma >= 0) to = to.substring(0, comma);
            to = percentDecode(to);
            if (to == null) return Optional.empty();
            int at = to.lastIndexOf('@');
            if (at <= 0 || at == to.length() - 1) return Optional.empty();
            return Optional.of(to);
        }

        /** The domain of a {@code mailto:} URI's address, lower-cased, if it is one. */
        public Optional<String> domain() {
            return mailbox().map(m -> m.substring(m.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
        }

        /** The text form, {@code uri[!size]} (sizes in the largest exact unit). */
        public String toText() {
            if (maxBytes < 0) return uri;
            long v = maxBytes;
            String unit = "";
            for (String u : new String[] {"k", "m", "g", "t"}) {
                if (v == 0 || v % 1024 != 0) break;
                v /= 1024;
                unit = u;
            }
            return uri + "!" + v + unit;
        }

        private static String percentDecode(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%' && i + 2 < s.length()) {
                    int h = Character.digit(s.charAt(i + 1), 16), l = Character.digit(s.charAt(i + 2), 16);
                    if (h < 0 || l < 0) return null;
                    b.append((char) (h * 16 + l));
                    i += 2;
                } else if (c == '%') {
                    return null;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }

    /** The outcome of parsing a TXT record as DMARC. */
    public sealed interface Parsed permits Valid, Invalid {}

    /** A record: {@code v=DMARC1} first and a well-formed tag list. */
    public record Valid(DmarcRecord record) implements Parsed {}

    /** Not a usable DMARC record, with the reason. */
    public record Invalid(String reason) implements Parsed {}

    /** True when the text starts with the {@code v=DMARC1} tag (RFC 7489 §6.6.3: others are discarded in discovery). */
    public static boolean isDmarcRecord(String txt) {
        if (txt == null) return false;
        int i = skipWsp(txt, 0);
        if (i >= txt.length() || (txt.charAt(i) != 'v' && txt.charAt(i) != 'V')) return false;
        i = skipWsp(txt, i + 1);
        if (i >= txt.length() || txt.charAt(i) != '=') return false;
        i = skipWsp(txt, i + 1);
        // RFC 7489 §6.4: dmarc-version = "v" *WSP "=" *WSP %x44 %x4d %x41 %x52 %x43 %x31 (case-sensitive)
        if (!txt.startsWith("DMARC1", i)) return false;
        i = skipWsp(txt, i + 6);
        return i == txt.length() || txt.charAt(i) == ';';
    }

    // RFC 6376 §3.2 tag-name = ALPHA *ALNUMPUNC
    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    // RFC 7489 §6.4: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]; URI per RFC 3986, commas and '!' %-encoded
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s,!;]+");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})([kKmMgGtT]?)");
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*");

    /**
     * Parses a DMARC record (RFC 7489 §6.4). Unknown tags are ignored (§6.3); an optional tag with
     * a bad value takes its default (§6.3: "syntax errors in the remainder of the record SHOULD be
     * discarded in favor of default values"), noted in {@link #warnings()}. A missing or bad
     * {@code p} leaves {@code policy} null. Invalid: no {@code v=DMARC1} first, a malformed tag
     * list, a duplicated tag, or over the size bounds.
     */
    public static Parsed parse(String txt) {
        if (txt == null) return new Invalid("no record");
        if (txt.length() > MAX_LENGTH) return new Invalid("record longer than " + MAX_LENGTH);
        if (!isDmarcRecord(txt)) return new Invalid("does not start with v=DMARC1");
        List<String[]> tags = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] parts = txt.split(";", -1);
        for (int i = 0; i < parts.length; i++) {
            String spec = parts[i];
            if (spec.isBlank()) {
                // RFC 7489 §6.4 allows one trailing ";"; empty specs in the middle (";;") are tolerated the same way
                continue;
            }
            int eq = spec.indexOf('=');
            if (eq < 0) return new Invalid("tag without '=': " + clip(spec));
            String name = stripFws(spec.substring(0, eq));
            String value = stripFws(spec.substring(eq + 1));
            if (!TAG_NAME.matcher(name).matches()) return new Invalid("bad tag name: " + clip(name));
            if (!validTagValue(value)) return new Invalid("bad value for tag " + name);
            String key = name.toLowerCase(Locale.ROOT);
            if (!seen.add(key)) return new Invalid("duplicate tag " + key);
            if (tags.size() >= MAX_TAGS) return new Invalid("more than " + MAX_TAGS + " tags");
            tags.add(new String[] {key, value});
        }
        Policy p = null, sp = null, np = null;
        boolean spInvalid = false;
        int pct = 100;
        Alignment adkim = Alignment.RELAXED, aspf = Alignment.RELAXED;
        List<ReportUri> rua = List.of(), ruf = List.of();
        Set<FailureOption> fo = EnumSet.of(FailureOption.ALL_FAIL);
        List<String> rf = List.of("afrf");
        long ri = DEFAULT_INTERVAL;
        List<String> warnings = new ArrayList<>();
        for (String[] t : tags) {
            String v = t[1];
            switch (t[0]) {
                case "v" -> { }
                case "p" -> {
                    p = Policy.parse(v);
                    if (p == null) warnings.add("invalid p=" + clip(v));
                }
                case "sp" -> {
                    sp = Policy.parse(v);
                    if (sp == null) {
                        spInvalid = true;
                        warnings.add("invalid sp=" + clip(v));
                    }
                }
                case "np" -> { // DMARCbis §4.7 / RFC 9091 §4.1
                    np = Policy.parse(v);
                    if (np == null) warnings.add("invalid np=" + clip(v) + ", ignored");
                }
                case "pct" -> {
                    if (v.matches("[0-9]{1,3}") && Integer.parseInt(v) <= 100) pct = Integer.parseInt(v);
                    else warnings.add("invalid pct=" + clip(v) + ", using 100");
                }
                case "adkim" -> adkim = alignment(v, "adkim", warnings);
                case "aspf" -> aspf = alignment(v, "aspf", warnings);
                case "rua" -> rua = uris(v, "rua", warnings);
                case "ruf" -> ruf = uris(v, "ruf", warnings);
                case "fo" -> fo = failureOptions(v, warnings);
                case "rf" -> {
                    List<String> formats = new ArrayList<>();
                    for (String f : v.split(":", -1)) {
                        String s = stripFws(f).toLowerCase(Locale.ROOT);
                        if (KEYWORD.matcher(s).matches()) formats.add(s);
                    }
                    if (formats.isEmpty()) warnings.add("invalid rf=" + clip(v) + ", using afrf");
                    else rf = formats;
                }
                case "ri" -> {
                    // RFC 7489 §6.4: dmarc-ainterval = 1*DIGIT (a 32-bit unsigned integer, §6.3)
                    if (v.matches("[0-9]{1,10}") && Long.parseLong(v) <= 0xFFFF_FFFFL) ri = Long.parseLong(v);
                    else warnings.add("invalid ri=" + clip(v) + ", using 86400");
                }
                default -> { } // RFC 7489 §6.3: unknown tags MUST be ignored
            }
        }
        return new Valid(new DmarcRecord(p, sp, np, spInvalid, pct, adkim, aspf, rua, ruf, fo, rf, ri, warnings));
    }

    /**
     * RFC 7489 §6.6.3 step 6 ("if a retrieved policy record does not contain a valid p tag, or
     * contains an sp tag that is not valid, then: if a rua tag is present and contains at least one
     * syntactically valid reporting URI, act as if p=none was retrieved; otherwise apply no DMARC
     * processing"): the record to evaluate with, or empty for "no DMARC processing".
     */
    public Optional<DmarcRecord> forPolicyDiscovery() {
        if (policy != null && !subdomainPolicyInvalid) return Optional.of(this);
        if (aggregateReportUris.isEmpty()) return Optional.empty();
        List<String> w = new ArrayList<>(warnings);
        w.add("no valid p/sp: acting as p=none (RFC 7489 §6.6.3)");
        return Optional.of(new DmarcRecord(Policy.NONE, null, null, false, percent, dkimAlignment, spfAlignment,
                aggregateReportUris, failureReportUris, failureOptions, reportFormats, reportInterval, w));
    }

    /** {@code sp}, or {@code p} when absent (RFC 7489 §6.3). */
    public Policy effectiveSubdomainPolicy() {
        return subdomainPolicy != null ? subdomainPolicy : policy;
    }

    /** {@code np}, or else {@code sp}, or else {@code p} (DMARCbis §4.7). */
    public Policy effectiveNonExistentPolicy() {
        return nonExistentPolicy != null ? nonExistentPolicy : effectiveSubdomainPolicy();
    }

    /** A canonical text form that parses back to an equal record (warnings aside). */
    public String toText() {
        StringBuilder b = new StringBuilder("v=DMARC1");
        if (policy != null) b.append("; p=").append(policy.keyword());
        if (subdomainPolicy != null) b.append("; sp=").append(subdomainPolicy.keyword());
        if (nonExistentPolicy != null) b.append("; np=").append(nonExistentPolicy.keyword());
        if (percent != 100) b.append("; pct=").append(percent);
        if (dkimAlignment != Alignment.RELAXED) b.append("; adkim=s");
        if (spfAlignment != Alignment.RELAXED) b.append("; aspf=s");
        if (!aggregateReportUris.isEmpty()) b.append("; rua=").append(String.join(",", aggregateReportUris.stream().map(ReportUri::toText).toList()));
        if (!failureReportUris.isEmpty()) b.append("; ruf=").append(String.join(",", failureReportUris.stream().map(ReportUri::toText).toList()));
        if (!failureOptions.equals(Set.of(FailureOption.ALL_FAIL))) {
            b.append("; fo=").append(String.join(":", EnumSet.copyOf(failureOptions).stream().map(FailureOption::keyword).toList()));
        }
        if (!reportFormats.equals(List.of("afrf"))) b.append("; rf=").append(String.join(":", reportFormats));
        if (reportInterval != DEFAULT_INTERVAL) b.append("; ri=").append(reportInterval);
        return b.toString();
    }

    private static Alignment alignment(String v, String tag, List<String> warnings) {
        if (v.equalsIgnoreCase("r")) return Alignment.RELAXED;
        if (v.equalsIgnoreCase("s")) return Alignment.STRICT;
        warnings.add("invalid " + tag + "=" + clip(v) + ", using r");
        return Alignment.RELAXED;
    }

    private static List<ReportUri> uris(String v, String tag, List<String> warnings) {
        List<ReportUri> out = new ArrayList<>();
        for (String item : v.split(",", -1)) {
            String s = stripFws(item);
            if (s.isEmpty()) continue;
            String uri = s;
            long max = -1;
            int bang = s.indexOf('!');
            if (bang >= 0) {
                uri = s.substring(0, bang);
                var m = SIZE.matcher(s.substring(bang + 1));
                if (!m.matches()) {
                    warnings.add("invalid size in " + tag + " URI " + clip(s) + ", skipped");
                    continue;
                }
                long n = Long.parseLong(m.group(1));
                int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    case "t" -> 40;
                    default -> 0;
                };
                max = n > (MAX_SIZE >> shift) ? MAX_SIZE : n << shift;
            }
            if (!URI.matcher(uri).matches()) {
                warnings.add("invalid " + tag + " URI " + clip(s) + ", skipped");
                continue;
            }
            if (out.size() >= MAX_URIS) {
                warnings.add("more than " + MAX_URIS + " " + tag + " URIs, rest ignored");
                break;
            }
            out.add(new ReportUri(uri, max));
        }
        return out;
    }

    private static Set<FailureOption> failureOptions(String v, List<String> warnings) {
        Set<FailureOption> out = EnumSet.noneOf(FailureOption.class);
        for (String item : v.split(":", -1)) {
            String s = stripFws(item).toLowerCase(Locale.ROOT);
            FailureOption o = switch (s) {
                case "0" -> FailureOption.ALL_FAIL;
                case "1" -> FailureOption.ANY_FAIL;
                case "d" -> FailureOption.DKIM;
                case "s" -> FailureOption.SPF;
                default -> null;
            };
            if (o == null) warnings.add("unknown fo option " + clip(s) + " ignored");
            else out.add(o);
        }
        if (out.isEmpty()) {
            warnings.add("invalid fo=" + clip(v) + ", using 0");
            out.add(FailureOption.ALL_FAIL);
        }
        return out;
    }

    /** RFC 6376 §3.2 tag-value: tval *( 1*(WSP / FWS) tval ), tval = 1*VALCHAR (%x21-3A / %x3C-7E); empty allowed. */
    private static boolean validTagValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
            // Leniency: UTF-8 text (DMARCbis allows it in URIs through RFC 6532) is accepted; controls are not
            if (c < 0x21 || c == 0x7F) return false;
        }
        return true;
    }

    private static String stripFws(String s) {
        int a = 0, b = s.length();
        while (a < b && isFws(s.charAt(a))) a++;
        while (b > a && isFws(s.charAt(b - 1))) b--;
        return s.substring(a, b);
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static int skipWsp(String s, int i) {
        while (i < s.length() && isFws(s.charAt(i))) i++;
        return i;
    }

    static String clip(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return b.toString();
    }
}
