package dev.sealpost.queue;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.Resolver;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptRecord;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReportMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends the daily TLS-RPT aggregate reports (RFC 8460 §5): once a day (checked hourly), every
 * finished UTC day in the {@link TlsRptCollector} is drained; for each Policy Domain the
 * {@code _smtp._tls.<domain>} TXT record (§3) names where reports go, and the report mail
 * (§5.3: {@code multipart/report; report-type="tlsrpt"} with the gzip'd JSON) is spooled to its
 * {@code mailto:} addresses like any other local message (local delivery routes it on). Domains
 * without a valid record get nothing. {@code https:} destinations (§5.3.2) are not used yet.
 *
 * <p>Report mails carry the envelope id {@value #ENVID_PREFIX}… so the remote transport knows them
 * ({@link #isReport}): RFC 8460 §5.3.1 says they MUST NOT honour MTA-STS or DANE failures. They are
 * sent from {@link Settings#sender()} with NOTIFY=NEVER: reports are optional (§5.5), and a
 * bounce of one helps nobody. Counts of the current day are lost on restart (the collector is
 * in memory).
 */
public final class TlsRptSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsRptSender.class);

    /** The envelope id (RFC 3461 ENVID) prefix that marks a spooled TLS-RPT report. */
    public static final String ENVID_PREFIX = "tlsrpt.";

    /**
     * @param submitter        our host name: {@code TLS-Report-Submitter} and the report file name (§5.1, §5.3)
     * @param organizationName {@code organization-name} in the report (§4.4)
     * @param sender           MAIL FROM and From: of report mails, and the report's {@code contact-info}
     * @param checkInterval    how often the thread looks for finished days
     */
    public record Settings(String submitter, String organizationName, String sender, Duration checkInterval) {
        public Settings {
            Objects.requireNonNull(submitter, "submitter");
            Objects.requireNonNull(organizationName, "organizationName");
            if (EmailAddress.parse(sender).isEmpty()) throw new IllegalArgumentException("sender: not an email address: " + sender);
            if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) throw new IllegalArgumentException("checkInterval");
        }

        /** Submitter {@code hostname}, sender {@code postmaster@hostname}, checked hourly. */
        public static Settings defaults(String hostname, String organizationName) {
            return new Settings(hostname, organizationName == null || organizationName.isBlank() ? hostname : organizationName,
                    "postmaster@" + hostname, Duration.ofHours(1));
        }
    }

    private final Store store;
    private final Resolver resolver;
    private final TlsRptCollector collector;
    private final Settings settings;
    private final Clock clock;
    private final Runnable onSpooled;
    private final Object lock = new Object();
    private volatile boolean running;
    private Thread thread;

    /** @param onSpooled called after report mails were spooled (wire: local delivery's wake) */
    public TlsRptSender(Store store, Resolver resolver, TlsRptCollector collector, Settings settings, Clock clock, Runnable onSpooled) {
        this.store = store;
        this.resolver = resolver;
        this.collector = collector;
        this.settings = settings;
        this.clock = clock;
        this.onSpooled = onSpooled == null ? () -> { } : onSpooled;
    }

    /** Whether a queued message is a TLS-RPT report we generated (locally made, our envelope id). */
    public static boolean isReport(OutboundQueue.QueueMessage m) {
        return m.clientAddress() == null && m.authUser() == null && m.dsnEnvid() != null && m.dsnEnvid().startsWith(ENVID_PREFIX);
    }

    /** Starts the daily sending thread. */
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofVirtual().name("tlsrpt-sender").start(() -> {
            while (running) {
                try {
                    sendDue();
                } catch (RuntimeException e) {
                    log.error("tls-rpt sending round failed; will retry", e);
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(settings.checkInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Sends the reports of every finished UTC day still in the collector; returns how many mails were spooled. */
    public int sendDue() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        int n = 0;
        for (LocalDate day : collector.days()) if (day.isBefore(today)) n += send(day);
        return n;
    }

    /** Drains one day from the collector and spools its reports; returns how many mails were spooled. */
    public int send(LocalDate day) {
        synchronized (lock) {
            int sent = 0;
            for (TlsRptReport report : collector.drain(day, settings.organizationName(), settings.sender())) {
                String domain = report.policies().isEmpty() ? null : report.policies().getFirst().policy().policyDomain();
                if (domain == null) continue;
                try {
                    if (sendOne(day, domain, report)) sent++;
                } catch (IOException | RuntimeException e) {
                    // RFC 8460 §5.5: reports are optional; this one is dropped
                    log.warn("tls-rpt report for {} on {} not sent: {}", domain, day, e.toString());
                }
            }
            if (sent > 0) onSpooled.run();
            return sent;
        }
    }

    private boolean sendOne(LocalDate day, String domain, TlsRptReport report) throws IOException {
        DnsAnswer<String> txt = resolver.txt(TlsRptRecord.lookupName(domain));
        if (txt.temporaryFailure()) {
            log.info("tls-rpt record look-up for {} failed ({}); report for {} dropped", domain, txt.status(), day);
            return false;
        }
        // RFC 8460 §3: exactly one valid v=TLSRPTv1 record, or the domain does not take part
        Optional<TlsRptRecord> record = TlsRptRecord.select(txt.records());
        if (record.isEmpty()) {
            log.debug("no tls-rpt record for {}: no report", domain);
            return false;
        }
        Set<String> to = new LinkedHashSet<>();
        for (TlsRptRecord.ReportUri uri : record.get().rua()) {
            switch (uri.scheme()) {
                // RFC 8460 §5.3.1: mailto: the report goes by mail
                case MAILTO -> uri.mailbox().flatMap(EmailAddress::parse).ifPresentOrElse(a -> to.add(a.toString()),
                        () -> log.info("tls-rpt rua {} of {}: not a usable address", uri.uri(), domain));
                // RFC 8460 §5.3.2: https: POST; not done yet
                case HTTPS -> log.info("tls-rpt rua {} of {}: https reports are not sent (not implemented)", uri.uri(), domain);
            }
        }
        if (to.isEmpty()) return false;
        Instant now = clock.instant();
        byte[] mail = TlsRptReportMail.build(report, domain, settings.submitter(), settings.sender(), List.copyOf(to), now);
        BlobRef blob = store.blobs().put(mail);
        List<Spool.Recipient> rcpts = new ArrayList<>();
        for (String a : to) rcpts.add(new Spool.Recipient(a, "NEVER", null)); // RFC 3461 §4.1: no DSN for a report
        String envid = ENVID_PREFIX + day + "." + (domain.length() > 60 ? domain.substring(0, 60) : domain);
        long id = store.spool().enqueue(new Spool.Envelope(settings.sender(), rcpts, null, settings.submitter(), null,
                "tlsrpt-" + day, false, false, "7BIT", "HDRS", envid, now), blob);
        log.info("tls-rpt report for {} on {} spooled to {} as queue id={}", domain, day, to, id);
        return true;
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
