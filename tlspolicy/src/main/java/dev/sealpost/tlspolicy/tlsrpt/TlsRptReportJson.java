package dev.sealpost.tlspolicy.tlsrpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.FailureDetail;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.Policy;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyResult;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * TLS-RPT report JSON (RFC 8460 §4.4): writing our reports, parsing received ones, gzip and the
 * report file name (§5.3). Parsing is bounded: {@link #MAX_JSON_BYTES} of (decompressed) JSON,
 * nesting depth 16, {@link #MAX_POLICIES} policies and {@link #MAX_FAILURE_DETAILS} failure
 * details per report, duplicate keys rejected.
 */
public final class TlsRptReportJson {
    public static final int MAX_JSON_BYTES = 16 * 1024 * 1024;
    public static final int MAX_POLICIES = 10_000;
    public static final int MAX_FAILURE_DETAILS = 100_000;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1_000_000)
                    .maxNumberLength(20).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private static final Pattern UNIQUE_ID = Pattern.compile("[A-Za-z0-9]+");

    private TlsRptReportJson() {}

    /** A report that does not follow RFC 8460 §4.4. */
    public static final class InvalidReportException extends IOException {
        public InvalidReportException(String message) {
            super(message);
        }
    }

    // ---- writing ----

    /** The report as UTF-8 JSON, field names and order as RFC 8460 §4.4. */
    public static byte[] write(TlsRptReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        putIf(root, "organization-name", r.organizationName());
        ObjectNode range = root.putObject("date-range");
        range.put("start-datetime", r.startDatetime().truncatedTo(ChronoUnit.SECONDS).toString());
        range.put("end-datetime", r.endDatetime().truncatedTo(ChronoUnit.SECONDS).toString());
        putIf(root, "contact-info", r.contactInfo());
        root.put("report-id", r.reportId());
        ArrayNode policies = root.putArray("policies");
        for (PolicyResult pr : r.policies()) {
            ObjectNode entry = policies.addObject();
            ObjectNode policy = entry.putObject("policy");
            Policy p = pr.policy();
            policy.put("policy-type", p.policyType());
            if (!p.policyString().isEmpty()) p.policyString().forEach(policy.putArray("policy-string")::add);
            putIf(policy, "policy-domain", p.policyDomain());
            if (!p.mxHost().isEmpty()) p.mxHost().forEach(policy.putArray("mx-host")::add);
            ObjectNode summary = entry.putObject("summary");
            summary.put("total-successful-session-count", pr.totalSuccessfulSessionCount());
            summary.put("total-failure-session-count", pr.totalFailureSessionCount());
            if (!pr.failureDetails().isEmpty()) {
                ArrayNode details = entry.putArray("failure-details");
                for (FailureDetail f : pr.failureDetails()) {
                    ObjectNode d = details.addObject();
                    d.put("result-type", f.resultType());
                    putIf(d, "sending-mta-ip", f.sendingMtaIp());
                    putIf(d, "receiving-mx-hostname", f.receivingMxHostname());
                    putIf(d, "receiving-mx-helo", f.receivingMxHelo());
                    putIf(d, "receiving-ip", f.receivingIp());
                    d.put("failed-session-count", f.failedSessionCount());
                    putIf(d, "additional-information", f.additionalInformation());
                    putIf(d, "failure-reason-code", f.failureReasonCode());
                }
            }
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIf(ObjectNode n, String name, String value) {
        if (value != null) n.put(name, value);
    }

    /** gzip of the JSON (RFC 8460 §5.3: {@code application/tlsrpt+gzip}). */
    public static byte[] writeGzip(TlsRptReport r) {
        return gzip(write(r));
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Whether the bytes start with the gzip magic number (RFC 1952 §2.3.1). */
    public static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xFF) == 0x1F && (data[1] & 0xFF) == 0x8B;
    }

    /** Decompresses at most {@code max} bytes; more is an error (a gzip bomb). */
    public static byte[] gunzip(byte[] data, int max) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return readBounded(in, max);
        } catch (InvalidReportException e) {
            throw e;
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // found by TlsRptRecordFuzzTest#report: a corrupt gzip stream is the sender's fault, not an I/O failure
            throw new InvalidReportException("bad gzip data: " + e.getMessage());
        }
    }

    static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) throw new InvalidReportException("report larger than " + max + " bytes");
        return bytes;
    }

    /**
     * The report file name (RFC 8460 §5.3):
     * {@code sender "!" policy-domain "!" begin-timestamp "!" end-timestamp ["!" unique-id] "." extension},
     * timestamps in seconds since the epoch, extension {@code json.gz} or {@code json}.
     *
     * @param submitter the sending (reporting) domain
     * @param uniqueId  letters and digits, or null
     */
    public static String fileName(String submitter, TlsRptReport r, String uniqueId, boolean gzip) {
        String policyDomain = r.policies().isEmpty() || r.policies().getFirst().policy().policyDomain() == null
                ? "unknown" : r.policies().getFirst().policy().policyDomain();
        StringBuilder sb = new StringBuilder(submitter).append('!').append(policyDomain).append('!')
                .append(r.startDatetime().getEpochSecond()).append('!').append(r.endDatetime().getEpochSecond());
        if (uniqueId != null) {
            if (!UNIQUE_ID.matcher(uniqueId).matches()) throw new IllegalArgumentException("unique-id must be letters and digits");
            sb.append('!').append(uniqueId);
        }
        return sb.append(gzip ? ".json.gz" : ".json").toString();
    }

    // ---- parsing ----

    /** Parses a report: JSON, or gzip'd JSON (detected by its magic number). */
    public static TlsRptReport parse(byte[] data) throws IOException {
        byte[] json = isGzip(data) ? gunzip(data, MAX_JSON_BYTES) : data;
        if (json.length > MAX_JSON_BYTES) throw new InvalidReportException("report larger than " + MAX_JSON_BYTES + " bytes");
        JsonNode root;
        try (JsonParser p = MAPPER.createParser(json)) {
            root = MAPPER.readTree(p);
            if (p.nextToken() != null) throw new InvalidReportException("trailing data after the JSON object");
        } catch (InvalidReportException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidReportException("not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) throw new InvalidReportException("report is not a JSON object");
        return report(root);
    }

    public static TlsRptReport parse(InputStream in) throws IOException {
        return parse(readBounded(in, MAX_JSON_BYTES));
    }

    private static TlsRptReport report(JsonNode root) throws InvalidReportException {
        JsonNode range = root.get("date-range");
        if (range == null || !range.isObject()) throw new InvalidReportException("no date-range object");
        Instant start = instant(range, "start-datetime");
        Instant end = instant(range, "end-datetime");
        String reportId = requiredText(root, "report-id");
        JsonNode policies = root.get("policies");
        if (policies == null || !policies.isArray()) throw new InvalidReportException("no policies array");
        if (policies.size() > MAX_POLICIES) throw new InvalidReportException("more than " + MAX_POLICIES + " policies");
        List<PolicyResult> results = new ArrayList<>();
        int details = 0;
        for (JsonNode entry : policies) {
            if (!entry.isObject()) throw new InvalidReportException("policies entry is not an object");
            JsonNode pol = entry.get("policy");
            if (pol == null || !pol.isObject()) throw new InvalidReportException("policies entry without a policy object");
            Policy policy = new Policy(requiredText(pol, "policy-type"), stringList(pol, "policy-string"),
                    optionalText(pol, "policy-domain"), stringList(pol, "mx-host"));
            JsonNode summary = entry.get("summary");
            if (summary != null && !summary.isObject()) throw new InvalidReportException("summary is not an object");
            // Leniency: a missing summary or count is read as 0 (seen in reports from large senders).
            long ok = summary == null ? 0 : count(summary, "total-successful-session-count");
            long failed = summary == null ? 0 : count(summary, "total-failure-session-count");
            List<FailureDetail> failures = new ArrayList<>();
            JsonNode fd = entry.get("failure-details");
            if (fd != null && !fd.isNull()) {
                if (!fd.isArray()) throw new InvalidReportException("failure-details is not an array");
                for (JsonNode d : fd) {
                    if (++details > MAX_FAILURE_DETAILS) throw new InvalidReportException("more than " + MAX_FAILURE_DETAILS + " failure details");
                    if (!d.isObject()) throw new InvalidReportException("failure-details entry is not an object");
                    failures.add(new FailureDetail(requiredText(d, "result-type"), optionalText(d, "sending-mta-ip"),
                            optionalText(d, "receiving-mx-hostname"), optionalText(d, "receiving-mx-helo"),
                            optionalText(d, "receiving-ip"), count(d, "failed-session-count"),
                            optionalText(d, "additional-information"), optionalText(d, "failure-reason-code")));
                }
            }
            results.add(new PolicyResult(policy, ok, failed, failures));
        }
        return new TlsRptReport(optionalText(root, "organization-name"), start, end, optionalText(root, "contact-info"),
                reportId, results);
    }

    private static Instant instant(JsonNode n, String field) throws InvalidReportException {
        String s = requiredText(n, field);
        try {
            // RFC 8460 §4.4: date-time per RFC 3339 §5.6
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidReportException(field + " is not an RFC 3339 date-time: " + s);
        }
    }

    private static String requiredText(JsonNode n, String field) throws InvalidReportException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new InvalidReportException("missing or non-string " + field);
        return v.textValue();
    }

    private static String optionalText(JsonNode n, String field) throws InvalidReportException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new InvalidReportException(field + " is not a string");
        return v.textValue();
    }

    /** An array of strings; a single string is accepted as a one-element list (leniency: seen for mx-host). */
    private static List<String> stringList(JsonNode n, String field) throws InvalidReportException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return List.of();
        if (v.isTextual()) return List.of(v.textValue());
        if (!v.isArray()) throw new InvalidReportException(field + " is not an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) throw new InvalidReportException(field + " holds a non-string");
            out.add(e.textValue());
        }
        return out;
    }

    private static long count(JsonNode n, String field) throws InvalidReportException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return 0;
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new InvalidReportException(field + " is not a non-negative integer");
        }
        return v.longValue();
    }
}
