package dev.sealpost.tlspolicy.tlsrpt;

import dev.sealpost.message.ReportParts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
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
        byte[] part = find(TlsRptReportJson.readBounded(mail, MAX_MAIL_BYTES));
        return TlsRptReportJson.isGzip(part) ? TlsRptReportJson.gunzip(part, TlsRptReportJson.MAX_JSON_BYTES) : part;
    }

    /** Parses a received report mail. */
    public static ReceivedReport parse(InputStream mail) throws IOException {
        byte[] raw = TlsRptReportJson.readBounded(mail, MAX_MAIL_BYTES);
        Map<String, String> headers = ReportParts.headers(raw);
        TlsRptReport report = TlsRptReportJson.parse(find(raw));
        return new ReceivedReport(headers.get("tls-report-domain"), headers.get("tls-report-submitter"), report);
    }

    /** The report part (MIME reading shared with DMARC: {@link ReportParts}); malformed mail is an invalid report. */
    private static byte[] find(byte[] raw) throws IOException {
        byte[] part;
        try {
            part = ReportParts.find(raw, MAX_DEPTH, (type, fn) -> switch (type) {
                // RFC 8460 §6.4-6.5 media types
                case "application/tlsrpt+gzip", "application/tlsrpt+json", "application/tlsrpt" -> true;
                default -> fn.endsWith(".json.gz") || fn.endsWith(".json");
            });
        } catch (ReportParts.MalformedException e) {
            throw new TlsRptReportJson.InvalidReportException(e.getMessage());
        }
        if (part == null) throw new TlsRptReportJson.InvalidReportException("no TLS report attachment found");
        return part;
    }
}
