package dev.sealpost.queue.reports;

import dev.sealpost.auth.dmarc.DmarcAggregateReport;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.DkimResult;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Identifiers;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Metadata;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.PolicyPublished;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Reason;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Row;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.SpfResult;
import dev.sealpost.auth.dmarc.DmarcEvaluator;
import dev.sealpost.auth.dmarc.DmarcRecord;
import dev.sealpost.auth.dmarc.DmarcRecord.Alignment;
import dev.sealpost.auth.dmarc.DmarcRecord.Policy;
import dev.sealpost.auth.dmarc.DmarcReportXml;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.Resolver;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Reports;
import dev.sealpost.store.Reports.ObservationCount;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends our daily DMARC aggregate reports (RFC 7489 §7.2): for each finished UTC day not yet
 * reported, one report per policy domain from what the MX observed
 * ({@link Reports#observations}), mailed to the domain's {@code rua} {@code mailto:} addresses
 * that pass the external destination check (§7.1) and whose {@code !size} limit the report fits,
 * through the spool like any other message. The day is then marked sent, so a restart does not
 * report it again; a crash between spooling and marking re-sends the day's reports with the same
 * report ids, which receivers deduplicate.
 *
 * <p>Thread-safe; {@link #runOnce} and {@link #runDue} are serialised.
 */
public final class DmarcReportSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DmarcReportSender.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    /** Observations are kept this long after their day (for the CLI and late re-sends), then pruned. */
    static final int KEEP_DAYS = 31;

    /**
     * @param reporter      our report sender address (From and MAIL FROM; config {@code auth.report_from}); its domain is
     *                      the Submitter and the file name's receiver
     * @param orgName       {@code org_name} in reports (default: the reporter's domain)
     * @param checkInterval how often the scheduler looks for finished days (reports go out within this after midnight UTC)
     */
    public record Settings(String reporter, String orgName, Duration checkInterval) {
        public Settings {
            Objects.requireNonNull(reporter, "reporter");
            if (EmailAddress.parse(reporter).isEmpty()) throw new IllegalArgumentException("not an address: " + reporter);
            if (orgName == null || orgName.isBlank()) orgName = domainOf(reporter);
            Objects.requireNonNull(checkInterval, "checkInterval");
        }

        public static Settings of(String reporter) {
            return new Settings(reporter, null, Duration.ofHours(1));
        }

        String submitter() {
            return domainOf(reporter);
        }
    }

    /** One report that went out (or not): {@code recipients} empty when nobody could take it, with the reasons in {@code skipped}. */
    public record Sent(String policyDomain, String reportId, long messages, List<String> recipients, List<String> skipped, long queueId) {}

    /** What a run did for one day. */
    public record RunResult(LocalDate day, boolean alreadySent, List<Sent> reports) {}

    private final Store store;
    private final Resolver resolver;
    private final DmarcEvaluator evaluator;
    private final Clock clock;
    private final Settings settings;
    private final Runnable onEnqueued;
    private final ReentrantLock runLock = new ReentrantLock();
    private final Object sleep = new Object();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param onEnqueued called after a report is spooled (wakes local delivery, which hands it to the outbound queue)
     */
    public DmarcReportSender(Store store, Resolver resolver, PublicSuffixList psl, Clock clock, Settings settings, Runnable onEnqueued) {
        this.store = store;
        this.resolver = resolver;
        this.evaluator = new DmarcEvaluator(resolver, psl, clock);
        this.clock = clock;
        this.settings = settings;
        this.onEnqueued = onEnqueued;
    }

    /** Starts the scheduler: looks for finished, unreported days now and every {@code checkInterval}. */
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofPlatform().name("dmarc-reports").daemon(true).start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                runDue();
            } catch (RuntimeException e) {
                log.error("DMARC reports: run failed, retrying at the next check", e);
            }
            synchronized (sleep) {
                if (!running) break;
                try {
                    sleep.wait(settings.checkInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Reports every finished UTC day (before today) that has observations and is not yet reported, oldest first. */
    public List<RunResult> runDue() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<RunResult> out = new ArrayList<>();
        for (LocalDate day : store.reports().unsentDays(Reports.RUN_DMARC, today)) out.add(runOnce(day));
        store.reports().pruneObservations(today.minusDays(KEEP_DAYS));
        return out;
    }

    /** Sends the reports of one UTC day unless that day is already reported, then marks it reported. */
    public RunResult runOnce(LocalDate day) {
        runLock.lock();
        try {
            if (store.reports().isSent(Reports.RUN_DMARC, day)) return new RunResult(day, true, List.of());
            List<Sent> sent = new ArrayList<>();
            for (Map.Entry<String, List<ObservationCount>> e : store.reports().observations(day).entrySet()) {
                try {
                    sent.add(report(day, e.getKey(), e.getValue()));
                } catch (java.io.IOException ex) {
                    // our storage failed: leave the day unreported, the next check tries again
                    throw new java.io.UncheckedIOException("DMARC reports for " + day + ": storing the report for "
                            + e.getKey() + " failed", ex);
                } catch (dev.sealpost.store.StoreException ex) {
                    throw ex; // likewise
                } catch (RuntimeException ex) {
                    // one domain's trouble (a bug, a bad record) must not hold back the others' reports
                    log.error("DMARC reports: {} for {} failed", day, e.getKey(), ex);
                }
            }
            store.reports().markSent(Reports.RUN_DMARC, day);
            long mails = sent.stream().filter(s -> !s.recipients().isEmpty()).count();
            log.info("DMARC reports for {}: {} policy domains, {} reports spooled", day, sent.size(), mails);
            return new RunResult(day, false, sent);
        } finally {
            runLock.unlock();
        }
    }

    private Sent report(LocalDate day, String policyDomain, List<ObservationCount> rows) throws java.io.IOException {
        long begin = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long end = begin + 86_400 - 1; // RFC 7489 §7.2.1.1: the day's UTC boundaries
        String submitter = settings.submitter();
        // report ids are stable per (day, domain), so a re-send after a crash is recognisably the same report
        String reportId = day.toString().replace("-", "") + "." + policyDomain + "@" + submitter;
        long messages = rows.stream().mapToLong(ObservationCount::count).sum();
        List<String> skipped = new ArrayList<>();

        // the current record decides where reports go (RFC 7489 §7.2: the rua at report time)
        DnsAnswer<String> txt = resolver.txt("_dmarc." + policyDomain);
        DmarcRecord record = null;
        for (String t : txt.records()) {
            if (DmarcRecord.parse(t) instanceof DmarcRecord.Valid v) {
                record = v.record();
                break;
            }
        }
        if (record == null || record.aggregateReportUris().isEmpty()) {
            skipped.add(txt.temporaryFailure() ? "DNS failure looking up _dmarc." + policyDomain : "no rua in _dmarc." + policyDomain);
            log.info("DMARC report {} for {} not sent: {}", day, policyDomain, skipped.getFirst());
            return new Sent(policyDomain, reportId, messages, List.of(), skipped, 0);
        }

        byte[] gz = DmarcReportXml.gzip(DmarcReportXml.write(build(policyDomain, reportId, begin, end, rows)));
        String file = DmarcReportXml.filename(submitter, policyDomain, begin, end, null, true);
        String subject = DmarcReportXml.subject(policyDomain, submitter, reportId);
        Map<String, Long> destinations = destinations(policyDomain, record, skipped);
        if (destinations.isEmpty()) {
            log.info("DMARC report {} for {} not sent: {}", day, policyDomain, skipped);
            return new Sent(policyDomain, reportId, messages, List.of(), skipped, 0);
        }
        byte[] mail = mail(policyDomain, reportId, subject, file, gz, begin, end, List.copyOf(destinations.keySet()));
        List<String> to = new ArrayList<>();
        for (Map.Entry<String, Long> d : destinations.entrySet()) {
            // RFC 7489 §6.2 / §6.4 "!size": a report larger than the destination's limit is not sent there
            if (d.getValue() >= 0 && mail.length > d.getValue()) {
                skipped.add(d.getKey() + ": report of " + mail.length + " bytes exceeds its limit of " + d.getValue());
            } else {
                to.add(d.getKey());
            }
        }
        if (to.isEmpty()) {
            log.info("DMARC report {} for {} not sent: {}", day, policyDomain, skipped);
            return new Sent(policyDomain, reportId, messages, List.of(), skipped, 0);
        }
        if (to.size() != destinations.size()) mail = mail(policyDomain, reportId, subject, file, gz, begin, end, to);
        BlobRef blob = store.blobs().put(mail);
        List<Spool.Recipient> rcpts = to.stream().map(a -> new Spool.Recipient(a, null, null)).toList();
        long id = store.spool().enqueue(new Spool.Envelope(settings.reporter(), rcpts, null, null, null, "dmarc-report-" + day,
                false, false, "7BIT", null, null, clock.instant()), blob);
        log.info("DMARC report {} for {} ({} messages, {} rows) spooled as queue id={} to {}", day, policyDomain, messages,
                rows.size(), id, to);
        onEnqueued.run();
        return new Sent(policyDomain, reportId, messages, List.copyOf(to), skipped, id);
    }

    /**
     * The {@code mailto:} destinations of the record's {@code rua} that may receive reports about
     * {@code policyDomain} (RFC 7489 §7.1), address to size limit (-1 for none); reasons for the others go to {@code skipped}.
     */
    private Map<String, Long> destinations(String policyDomain, DmarcRecord record, List<String> skipped) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (DmarcRecord.ReportUri uri : record.aggregateReportUris()) {
            Optional<EmailAddress> address = uri.mailbox().flatMap(EmailAddress::parse);
            if (address.isEmpty()) {
                skipped.add(uri.uri() + ": not a mailto: address we can send to");
                continue;
            }
            String domain = address.get().domain().toLowerCase(Locale.ROOT);
            DmarcEvaluator.DestinationCheck check = evaluator.verifyReportDestination(policyDomain, domain);
            if (!check.authorized()) {
                // RFC 7489 §7.1: a destination outside the policy domain's organisation must publish
                // <policy-domain>._report._dmarc.<destination> first
                skipped.add(uri.uri() + ": " + (check.status() == DmarcEvaluator.DestinationCheck.Status.TEMPERROR
                        ? "DNS failure checking" : "not authorized by") + " " + policyDomain + "._report._dmarc." + domain);
                continue;
            }
            List<DmarcRecord.ReportUri> chosen = List.of(uri);
            if (check.override() != null && !check.override().aggregateReportUris().isEmpty()) {
                // RFC 7489 §7.1 step 7: the destination's record may replace the URI, but only with one at the same host
                chosen = check.override().aggregateReportUris().stream()
                        .filter(o -> o.domain().map(domain::equals).orElse(false)).toList();
                if (chosen.isEmpty()) {
                    skipped.add(uri.uri() + ": the authorizing record's rua points elsewhere");
                    continue;
                }
            }
            for (DmarcRecord.ReportUri c : chosen) {
                Optional<String> a = c.mailbox().flatMap(EmailAddress::parse).map(EmailAddress::toString)
                        .filter(DmarcReportSender::headerSafe);
                if (a.isEmpty()) {
                    skipped.add(c.uri() + ": not an ASCII address we can put in a header");
                    continue;
                }
                // the smaller limit wins when two URIs name the same mailbox (-1: none)
                out.merge(a.get(), c.maxBytes(), (x, y) -> x < 0 ? y : y < 0 ? x : Math.min(x, y));
            }
        }
        return out;
    }

    /** The aggregate report of one policy domain for one day (RFC 7489 Appendix C). */
    DmarcAggregateReport build(String policyDomain, String reportId, long begin, long end, List<ObservationCount> rows) {
        // one policy_published per report: the record as it was at the day's first observation
        Reports.PublishedPolicy p = rows.getFirst().observation().policy();
        PolicyPublished published = new PolicyPublished(policyDomain, alignment(p.adkim()), alignment(p.aspf()), policy(p.p()),
                policy(p.sp()), policy(p.np()), p.pct(), p.fo());
        Metadata metadata = new Metadata(settings.orgName(), settings.reporter(), null, reportId, begin, end, List.of(), "Sealpost");
        List<DmarcAggregateReport.Record> records = new ArrayList<>();
        for (ObservationCount oc : rows) {
            Reports.Observation o = oc.observation();
            List<Reason> reasons = o.overrideReason() == null ? List.of() : List.of(new Reason(o.overrideReason(), null));
            Row row = new Row(o.sourceIp(), oc.count(), o.disposition(), o.dmarcDkimAligned() ? "pass" : "fail",
                    o.dmarcSpfAligned() ? "pass" : "fail", reasons);
            List<DkimResult> dkim = o.dkim().stream()
                    .map(d -> new DkimResult(d.domain(), d.selector().isEmpty() ? null : d.selector(), d.result(), null)).toList();
            List<SpfResult> spf = o.spfDomain() == null ? List.of() : List.of(new SpfResult(o.spfDomain(), o.spfScope(), o.spfResult()));
            records.add(new DmarcAggregateReport.Record(row, new Identifiers(null, o.envelopeFrom(), o.headerFrom()), dkim, spf));
        }
        return new DmarcAggregateReport("1.0", metadata, published, records);
    }

    /** The report mail (RFC 7489 §7.2.1.1): a text part and the gzip'd XML as an {@code application/gzip} attachment. */
    private byte[] mail(String policyDomain, String reportId, String subject, String file, byte[] gz, long begin, long end, List<String> to) {
        String boundary = "=_dmarc_" + UUID.randomUUID().toString().replace("-", "");
        Instant now = clock.instant();
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(settings.reporter()).append("\r\n");
        m.append("Date: ").append(DATE.format(now.atOffset(ZoneOffset.UTC))).append("\r\n");
        m.append("To: ").append(String.join(",\r\n ", to)).append("\r\n");
        m.append("Subject: ").append(fold(subject)).append("\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(settings.submitter()).append(">\r\n");
        m.append("Auto-Submitted: auto-generated\r\n"); // RFC 3834 §5: no auto-replies to reports
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n");
        m.append("This is a multipart message in MIME format.\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=us-ascii\r\n");
        m.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
        m.append("This is a DMARC aggregate report (RFC 7489) from ").append(settings.orgName()).append(" for ")
                .append(policyDomain).append(",\r\ncovering ").append(Instant.ofEpochSecond(begin)).append(" to ")
                .append(Instant.ofEpochSecond(end)).append(". Report-ID: ").append(reportId).append("\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        // RFC 7489 §7.2.1.1: gzip compression, media type application/gzip
        m.append("Content-Type: application/gzip; name=\"").append(file).append("\"\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n");
        m.append("Content-Disposition: attachment;\r\n filename=\"").append(file).append("\"\r\n\r\n");
        m.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(gz)).append("\r\n\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Folds the subject before "Submitter:" and "Report-ID:" to stay near 78 columns (RFC 5322 §2.2.3). */
    private static String fold(String subject) {
        return subject.replace(" Submitter: ", "\r\n Submitter: ").replace(" Report-ID: ", "\r\n Report-ID: ");
    }

    private static Alignment alignment(String s) {
        if (s == null) return null;
        return s.equals("s") ? Alignment.STRICT : Alignment.RELAXED;
    }

    private static Policy policy(String s) {
        if (s == null) return null;
        return switch (s) {
            case "reject" -> Policy.REJECT;
            case "quarantine" -> Policy.QUARANTINE;
            default -> Policy.NONE;
        };
    }

    /** Printable ASCII without spaces: what a To field and the 7-bit report mail can carry as is. */
    private static boolean headerSafe(String s) {
        return s.chars().allMatch(ch -> ch > 0x20 && ch < 0x7F);
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        running = false;
        synchronized (sleep) {
            sleep.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
