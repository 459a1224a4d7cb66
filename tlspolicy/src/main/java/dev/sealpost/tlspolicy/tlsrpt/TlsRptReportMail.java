package dev.sealpost.tlspolicy.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * TLS-RPT report mail (RFC 8460 §5.3): building the {@code multipart/report; report-type="tlsrpt"}
 * message we send to {@code mailto:} destinations, and finding the report in ones we receive.
 *
 * <p>The built message is not DKIM-signed: RFC 8460 §5.3 requires the submitter to sign it, which
 * the outbound path does with the domain's key. The reader is a deliberately small MIME reader for
 * this one job (headers, multipart boundaries, base64 / quoted-printable), bounded in size and
 * depth, for untrusted input.
 */
public final class TlsRptReportMail {
    /** Largest report mail read. */
    public static final int MAX_MAIL_BYTES = 32 * 1024 * 1024;
    private static final int MAX_DEPTH = 8;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private TlsRptReportMail() {}

    /**
     * A received report with the mail's report headers (null when absent).
     *
     * @param reportDomain {@code TLS-Report-Domain}
     * @param submitter    {@code TLS-Report-Submitter}
     */
    public record ReceivedReport(String reportDomain, String submitter, TlsRptReport report) {}

    /**
     * Builds the report mail, CRLF line ends.
     *
     * @param report       the report
     * @param policyDomain the Policy Domain the report is about ({@code TLS-Report-Domain})
     * @param submitter    our domain ({@code TLS-Report-Submitter}, the file name's sender)
     * @param from         our report sender address
     * @param to           the {@code rua} mailboxes
     * @param date         the Date header value
     */
    public static byte[] build(TlsRptReport report, String policyDomain, String submitter, String from, List<String> to, Instant date) {
        for (String s : List.of(policyDomain, submitter, from, report.reportId())) requireHeaderSafe(s);
        to.forEach(TlsRptReportMail::requireHeaderSafe);
        if (to.isEmpty()) throw new IllegalArgumentException("no recipient");
        String boundary = "=_tlsrpt_" + UUID.randomUUID().toString().replace("-", "");
        String reportId = report.reportId().contains("@") ? report.reportId() : report.reportId() + "@" + submitter;
        byte[] gz = TlsRptReportJson.writeGzip(report);
        String file = TlsRptReportJson.fileName(submitter, report, null, true);
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("Date: ").append(DATE.format(date.atOffset(ZoneOffset.UTC))).append("\r\n");
        m.append("To: ").append(String.join(",\r\n ", to)).append("\r\n");
        // RFC 8460 §5.3: the Subject names the domain, the submitter and the report id
        m.append("Subject: Report Domain: ").append(policyDomain).append("\r\n Submitter: ").append(submitter)
                .append("\r\n Report-ID: <").append(reportId).append(">\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(submitter).append(">\r\n");
        // RFC 8460 §5.3: TLS-Report-Domain and TLS-Report-Submitter header fields
        m.append("TLS-Report-Domain: ").append(policyDomain).append("\r\n");
        m.append("TLS-Report-Submitter: ").append(submitter).append("\r\n");
        m.append("Auto-Submitted: auto-generated\r\n"); // RFC 3834 §5
        m.append("MIME-Version: 1.0\r\n");
        // RFC 8460 §5.3: multipart/report (RFC 6522) with report-type "tlsrpt"
        m.append("Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n boundary=\"").append(boundary).append("\"\r\n");
        m.append("\r\n");
        m.append("This is a multipart message in MIME format.\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=\"us-ascii\"\r\n");
        m.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
        m.append("This is an aggregate TLS report from ").append(submitter).append(" for ").append(policyDomain)
                .append(",\r\ncovering ").append(report.startDatetime()).append(" to ").append(report.endDatetime()).append(".\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        // RFC 8460 §5.3 / §6.4: application/tlsrpt+gzip
        m.append("Content-Type: application/tlsrpt+gzip\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n");
        m.append("Content-Disposition: attachment;\r\n filename=\"").append(file).append("\"\r\n\r\n");
        m.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(gz)).append("\r\n\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void requireHeaderSafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F) throw new IllegalArgumentException("not a header-safe ASCII value: " + s);
        }
    }

    /** The report JSON in a report mail: the first {@code application/tlsrpt+gzip}, {@code application/tlsrpt+json}, {@code application/tlsrpt} or {@code .json[.gz]} part, decoded and decompressed. */
    public static byte[] extractJson(InputStream mail) throws IOException {
        byte[] raw = TlsRptReportJson.readBounded(mail, MAX_MAIL_BYTES);
        byte[] part = find(new String(raw, StandardCharsets.ISO_8859_1), 0);
        if (part == null) throw new TlsRptReportJson.InvalidReportException("no TLS report attachment found");
        return TlsRptReportJson.isGzip(part) ? TlsRptReportJson.gunzip(part, TlsRptReportJson.MAX_JSON_BYTES) : part;
    }

    /** Parses a received report mail. */
    public static ReceivedReport parse(InputStream mail) throws IOException {
        byte[] raw = TlsRptReportJson.readBounded(mail, MAX_MAIL_BYTES);
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int split = headerEnd(text);
        Map<String, String> headers = headers(text.substring(0, Math.max(0, split)));
        byte[] part = find(text, 0);
        if (part == null) throw new TlsRptReportJson.InvalidReportException("no TLS report attachment found");
        TlsRptReport report = TlsRptReportJson.parse(part);
        return new ReceivedReport(headers.get("tls-report-domain"), headers.get("tls-report-submitter"), report);
    }

    private static byte[] find(String entity, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new TlsRptReportJson.InvalidReportException("MIME nesting deeper than " + MAX_DEPTH);
        int split = headerEnd(entity);
        Map<String, String> headers = headers(entity.substring(0, Math.max(0, split)));
        String body = split < 0 ? "" : entity.substring(split);
        String ct = headers.getOrDefault("content-type", "text/plain");
        String type = ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            String boundary = param(ct, "boundary");
            if (boundary == null || boundary.isEmpty()) throw new TlsRptReportJson.InvalidReportException("multipart without a boundary");
            String delimiter = "--" + boundary;
            int first = body.indexOf("\n" + delimiter);
            int idx = body.startsWith(delimiter) ? 0 : (first < 0 ? -1 : first + 1);
            while (idx >= 0) {
                int lineEnd = body.indexOf('\n', idx);
                if (body.startsWith(delimiter + "--", idx) || lineEnd < 0) return null; // close delimiter
                int next = body.indexOf("\n" + delimiter, lineEnd);
                // the CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)
                int end = next < 0 ? body.length() : (next > 0 && body.charAt(next - 1) == '\r' ? next - 1 : next);
                byte[] found = find(body.substring(lineEnd + 1, Math.max(lineEnd + 1, end)), depth + 1);
                if (found != null) return found;
                idx = next < 0 ? -1 : next + 1;
            }
            return null;
        }
        String filename = param(headers.getOrDefault("content-disposition", ""), "filename");
        if (filename == null) filename = param(ct, "name");
        String fn = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        boolean report = switch (type) {
            // RFC 8460 §6.4-6.5 media types
            case "application/tlsrpt+gzip", "application/tlsrpt+json", "application/tlsrpt" -> true;
            default -> fn.endsWith(".json.gz") || fn.endsWith(".json");
        };
        if (!report) return null;
        String cte = headers.getOrDefault("content-transfer-encoding", "7bit").strip().toLowerCase(Locale.ROOT);
        return switch (cte) {
            case "base64" -> {
                try {
                    yield Base64.getMimeDecoder().decode(body.strip().getBytes(StandardCharsets.ISO_8859_1));
                } catch (IllegalArgumentException e) {
                    throw new TlsRptReportJson.InvalidReportException("bad base64 in the report part");
                }
            }
            case "quoted-printable" -> quotedPrintable(body);
            default -> body.getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    private static int headerEnd(String e) {
        if (e.startsWith("\r\n")) return 2;
        if (e.startsWith("\n")) return 1;
        int crlf = e.indexOf("\r\n\r\n"), lf = e.indexOf("\n\n");
        if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
        return lf >= 0 ? lf + 2 : -1;
    }

    /** Unfolded header fields, names lower-cased; the first occurrence wins. */
    private static Map<String, String> headers(String block) {
        Map<String, String> out = new LinkedHashMap<>();
        String unfolded = block.replaceAll("\r?\n[ \t]", " ");
        for (String line : unfolded.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            out.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return out;
    }

    /** A parameter of a structured header field (RFC 2045 §5.1), quoted or not; RFC 2231 continuations are not handled. */
    static String param(String field, String name) {
        String[] parts = field.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq <= 0) continue;
            if (!p.substring(0, eq).strip().equalsIgnoreCase(name)) continue;
            String v = p.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            return v;
        }
        return null;
    }

    private static byte[] quotedPrintable(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = body.replaceAll("=\r?\n", "");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && i + 2 < s.length()) {
                int h = Character.digit(s.charAt(i + 1), 16), l = Character.digit(s.charAt(i + 2), 16);
                if (h >= 0 && l >= 0) {
                    out.write(h * 16 + l);
                    i += 2;
                    continue;
                }
            }
            out.write(c);
        }
        return out.toByteArray();
    }
}
