package dev.sealpost.app.evidence;

import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.message.ReportParts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Recognises a received delivery status notification (RFC 3464) or read notification (MDN,
 * RFC 8098) and gives the members of its evidence record: what the report says about which
 * original message, so that a sender's records (SubmissionAcceptance, RelayAcceptance) and the
 * report's meet on the original Message-ID. Untrusted input: bounded (the caller passes at most
 * {@link #MAX_BYTES}), never throws on malformed reports (they give no record).
 */
final class ReportRecords {
    static final int MAX_BYTES = 1024 * 1024;
    private static final int MAX_DEPTH = 5;
    private static final int MAX_RECIPIENTS = 100;

    private ReportRecords() {}

    record Report(EvidenceEvent event, Map<String, Object> extra) {}

    static Optional<Report> of(byte[] mail) {
        try {
            Map<String, String> h = ReportParts.headers(mail);
            String ct = h.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
            if (!ct.startsWith("multipart/report")) return Optional.empty();
            String reportType = param(ct, "report-type");
            if ("delivery-status".equals(reportType)) return dsn(mail);
            if ("disposition-notification".equals(reportType)) return mdn(mail);
            return Optional.empty();
        } catch (ReportParts.MalformedException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** RFC 3464 §2.2 per-message fields, then §2.3 per-recipient groups; RFC 6533 global form too. */
    private static Optional<Report> dsn(byte[] mail) throws ReportParts.MalformedException {
        byte[] part = ReportParts.find(mail, MAX_DEPTH, (type, name) -> type.equals("message/delivery-status")
                || type.equals("message/global-delivery-status"));
        if (part == null) return Optional.empty();
        List<Map<String, String>> groups = groups(new String(part, StandardCharsets.UTF_8));
        if (groups.size() < 2) return Optional.empty();   // RFC 3464 §2.1: at least one per-recipient group
        Map<String, Object> x = new TreeMap<>();
        Map<String, String> msg = groups.getFirst();
        put(x, "reporting_mta", msg.get("reporting-mta"));
        put(x, "original_envelope_id", msg.get("original-envelope-id"));
        List<Object> recipients = new ArrayList<>();
        List<Object> actions = new ArrayList<>();
        List<Object> statuses = new ArrayList<>();
        for (Map<String, String> g : groups.subList(1, Math.min(groups.size(), MAX_RECIPIENTS + 1))) {
            recipients.add(clip(g.getOrDefault("final-recipient", "")));
            actions.add(clip(g.getOrDefault("action", "").toLowerCase(Locale.ROOT)));
            statuses.add(clip(g.getOrDefault("status", "")));
        }
        x.put("dsn_final_recipients", recipients);
        x.put("dsn_actions", actions);
        x.put("dsn_statuses", statuses);
        put(x, "original_message_id", originalMessageId(mail));
        return Optional.of(new Report(EvidenceEvent.DSN_RECEIVED, x));
    }

    /** RFC 8098 §3.2: the disposition-notification fields. */
    private static Optional<Report> mdn(byte[] mail) throws ReportParts.MalformedException {
        byte[] part = ReportParts.find(mail, MAX_DEPTH, (type, name) -> type.equals("message/disposition-notification")
                || type.equals("message/global-disposition-notification"));
        if (part == null) return Optional.empty();
        List<Map<String, String>> groups = groups(new String(part, StandardCharsets.UTF_8));
        if (groups.isEmpty() || !groups.getFirst().containsKey("disposition")) return Optional.empty();
        Map<String, String> f = groups.getFirst();
        Map<String, Object> x = new TreeMap<>();
        put(x, "mdn_disposition", f.get("disposition"));
        put(x, "final_recipient", f.get("final-recipient"));
        put(x, "reporting_ua", f.get("reporting-ua"));
        String omid = f.get("original-message-id");
        put(x, "original_message_id", omid != null ? omid : originalMessageId(mail));
        return Optional.of(new Report(EvidenceEvent.MDN_RECEIVED, x));
    }

    /** The Message-ID of the returned original (RFC 6522 text/rfc822-headers, or message/rfc822), if the report has one. */
    private static String originalMessageId(byte[] mail) throws ReportParts.MalformedException {
        byte[] original = ReportParts.find(mail, MAX_DEPTH, (type, name) -> type.equals("text/rfc822-headers")
                || type.equals("message/rfc822") || type.equals("message/global") || type.equals("message/global-headers"));
        if (original == null) return null;
        // text/rfc822-headers is a header section alone, often without the blank line that ends it
        byte[] ended = java.util.Arrays.copyOf(original, original.length + 4);
        System.arraycopy(new byte[] {'\r', '\n', '\r', '\n'}, 0, ended, original.length, 4);
        return ReportParts.headers(ended).get("message-id");
    }

    /** Header-style field groups separated by blank lines; names lower-cased, folded lines unfolded, the first occurrence wins. */
    private static List<Map<String, String>> groups(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\r?\n", -1)) {
            if (line.isBlank()) {
                if (!cur.isEmpty()) out.add(cur);
                cur = new LinkedHashMap<>();
                last = null;
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                cur.put(last, cur.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            cur.putIfAbsent(last, line.substring(colon + 1).strip());
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    private static void put(Map<String, Object> x, String name, String value) {
        if (value != null && !value.isBlank()) x.put(name, clip(value));
    }

    /** Printable and bounded: a record holds what a stranger sent. */
    private static String clip(String s) {
        String v = s.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return v.length() > 256 ? v.substring(0, 256) : v;
    }

    private static String param(String field, String name) {
        for (String p : field.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                return v.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
