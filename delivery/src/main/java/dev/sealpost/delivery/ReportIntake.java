package dev.sealpost.delivery;

import dev.sealpost.auth.dmarc.DmarcAggregateReport;
import dev.sealpost.auth.dmarc.DmarcReportMail;
import dev.sealpost.auth.dmarc.DmarcReportXml;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.Reports;
import dev.sealpost.store.Reports.ReceivedReport;
import dev.sealpost.store.Reports.ReportKind;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReportMail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the reports that other operators send to our report mailboxes (config
 * {@code auth.report_mailboxes}): DMARC aggregate reports (RFC 7489 §7.2) and SMTP TLS reports
 * (RFC 8460 §5.3), parsed and stored in {@link Reports} (deduplicated by kind, organisation and
 * report id). The message is delivered into the mailbox as usual whatever happens here.
 *
 * <p>Security: report mails are untrusted input. The parsers are bounded (48 MB mail, 32 MB
 * decompressed XML, no DTDs; 32 MB mail, 16 MB JSON) and a report that does not parse is only
 * logged. Anyone can send us a report claiming any organisation: the stored reports are data
 * to look at, never acted upon.
 */
public final class ReportIntake {
    private final Reports reports;
    private final Set<String> mailboxes;

    /**
     * @param mailboxes the addresses whose mail is read for reports (compared case-insensitively)
     */
    public ReportIntake(Reports reports, List<String> mailboxes) {
        this.reports = reports;
        Set<String> m = new HashSet<>();
        for (String a : mailboxes) m.add(a.toLowerCase(Locale.ROOT));
        this.mailboxes = Set.copyOf(m);
    }

    /** True when mail to {@code address} is read for reports. */
    public boolean isReportMailbox(String address) {
        if (mailboxes.isEmpty() || address == null) return false;
        return mailboxes.contains(address.toLowerCase(Locale.ROOT))
                || EmailAddress.parse(address).map(a -> mailboxes.contains(a.canonical())).orElse(false);
    }

    /** What {@link #take} did. */
    public sealed interface Outcome {}

    /** A new report, stored. */
    public record Stored(ReceivedReport report) implements Outcome {}

    /** A report we already have (same kind, organisation and report id). */
    public record Duplicate(ReportKind kind, String orgName, String reportId) implements Outcome {}

    /** Not a report we could read, and why. */
    public record NotAReport(String reason) implements Outcome {}

    /**
     * Parses a delivered message as a report and stores it.
     *
     * @param mail       the whole message
     * @param receivedAt when we received it
     */
    public Outcome take(byte[] mail, Instant receivedAt) {
        boolean tlsFirst = looksLikeTlsRpt(mail);
        Attempt first = tlsFirst ? tlsrpt(mail, receivedAt) : dmarc(mail, receivedAt);
        if (first.report() != null) return save(first.report());
        Attempt second = tlsFirst ? dmarc(mail, receivedAt) : tlsrpt(mail, receivedAt);
        if (second.report() != null) return save(second.report());
        return new NotAReport(first.failure()); // the reason of the parser the mail looked made for
    }

    /** A parse attempt: the report, or why not. */
    private record Attempt(ReceivedReport report, String failure) {}

    private Outcome save(ReceivedReport r) {
        Optional<Long> id = reports.saveReceived(r);
        return id.<Outcome>map(i -> new Stored(r.withId(i))).orElseGet(() -> new Duplicate(r.kind(), r.orgName(), r.reportId()));
    }

    /** RFC 8460 §5.3: report-type "tlsrpt" or an application/tlsrpt media type; looked for in the first 64 KB. */
    private static boolean looksLikeTlsRpt(byte[] mail) {
        String head = new String(mail, 0, Math.min(mail.length, 65_536), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return head.contains("tlsrpt") || head.contains("tls-report-domain:");
    }

    /** The stored form of a DMARC aggregate report, or the reason it is not one. */
    private static Attempt dmarc(byte[] mail, Instant receivedAt) {
        try {
            byte[] xml = DmarcReportMail.extractXml(new ByteArrayInputStream(mail));
            DmarcAggregateReport r = DmarcReportXml.parse(new ByteArrayInputStream(xml));
            String id = r.metadata().reportId();
            if (id == null) return new Attempt(null, "DMARC report without report_id");
            long total = 0, failed = 0;
            for (DmarcAggregateReport.Record rec : r.records()) {
                long n = rec.row().count();
                total = saturatedAdd(total, n);
                // RFC 7489 §6.6.2: a message fails DMARC when neither DKIM nor SPF gave an aligned pass
                if (!"pass".equals(rec.row().dkim()) && !"pass".equals(rec.row().spf())) failed = saturatedAdd(failed, n);
            }
            return new Attempt(new ReceivedReport(0, ReportKind.DMARC, r.metadata().orgName(), id, r.policy().domain(),
                    Instant.ofEpochSecond(Math.min(r.metadata().begin(), Instant.MAX.getEpochSecond())),
                    Instant.ofEpochSecond(Math.min(r.metadata().end(), Instant.MAX.getEpochSecond())),
                    receivedAt, total, failed, new String(xml, StandardCharsets.UTF_8)), null);
        } catch (IOException | RuntimeException e) {
            return new Attempt(null, "not a DMARC report: " + e.getMessage());
        }
    }

    /** The stored form of a TLS report, or the reason it is not one. */
    private static Attempt tlsrpt(byte[] mail, Instant receivedAt) {
        try {
            TlsRptReportMail.ReceivedReport received = TlsRptReportMail.parse(new ByteArrayInputStream(mail));
            byte[] json = TlsRptReportMail.extractJson(new ByteArrayInputStream(mail));
            TlsRptReport r = received.report();
            long ok = 0, failed = 0;
            for (TlsRptReport.PolicyResult p : r.policies()) {
                ok = saturatedAdd(ok, p.totalSuccessfulSessionCount());
                failed = saturatedAdd(failed, p.totalFailureSessionCount());
            }
            String domain = received.reportDomain() != null ? received.reportDomain()
                    : r.policies().isEmpty() ? null : r.policies().getFirst().policy().policyDomain();
            return new Attempt(new ReceivedReport(0, ReportKind.TLSRPT, r.organizationName(), r.reportId(), domain, r.startDatetime(),
                    r.endDatetime(), receivedAt, saturatedAdd(ok, failed), failed, new String(json, StandardCharsets.UTF_8)), null);
        } catch (IOException | RuntimeException e) {
            return new Attempt(null, "not a TLS report: " + e.getMessage());
        }
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }
}
