package dev.sealpost.queue.reports;

import dev.sealpost.auth.dmarc.DmarcAggregateReport;
import dev.sealpost.auth.dmarc.DmarcRecord;
import dev.sealpost.auth.dmarc.DmarcReportMail;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.store.Reports;
import dev.sealpost.store.Reports.DkimAuth;
import dev.sealpost.store.Reports.Observation;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Daily aggregate reports from stored observations to spooled report mails, read back with our own report parser. */
class DmarcReportSenderTest {
    static final LocalDate DAY = LocalDate.parse("2026-03-01");
    static final Reports.PublishedPolicy POLICY = new Reports.PublishedPolicy("r", "r", "reject", null, null, 100, "0");
    static final ZoneResolver ZONE = ZoneResolver.builder()
            // own organisation, an authorized third party, an unauthorized one, and a non-mailto URI
            .txt("_dmarc.a.example", "v=DMARC1; p=reject; rua=mailto:dmarc@a.example,mailto:rua@thirdparty.example!10m,"
                    + "mailto:rua@unauthorized.example,https://reports.a.example/rua")
            .txt("a.example._report._dmarc.thirdparty.example", "v=DMARC1")
            // a limit no report fits
            .txt("_dmarc.b.example", "v=DMARC1; p=none; rua=mailto:tiny@b.example!1k")
            // no rua: nobody wants reports
            .txt("_dmarc.c.example", "v=DMARC1; p=quarantine")
            // the destination redirects to another mailbox at its own host (RFC 7489 §7.1 step 7)
            .txt("_dmarc.d.example", "v=DMARC1; p=none; rua=mailto:old@collector.example")
            .txt("d.example._report._dmarc.collector.example", "v=DMARC1; rua=mailto:new@collector.example")
            .build();

    @TempDir
    Path dir;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-02T00:30:00Z"));
    final Clock clock = new Clock() {
        public ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }
        public Instant instant() { return now.get(); }
    };
    final AtomicInteger wakes = new AtomicInteger();
    Store store;
    DmarcReportSender sender;

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, clock), pw -> PasswordHasher.hash(pw, 1000, 4096));
        sender = new DmarcReportSender(store, ZONE, PublicSuffixList.bundled(), clock,
                DmarcReportSender.Settings.of("postmaster@mx.ours.test"), wakes::incrementAndGet);
    }

    @AfterEach
    void close() {
        sender.close();
        store.close();
    }

    static Observation obs(LocalDate day, String domain, String ip, boolean aligned, String disposition, String reason) {
        return new Observation(day, domain, ip, domain, "bounce." + domain, "bounce." + domain, "mfrom", aligned ? "pass" : "fail",
                List.of(new DkimAuth(domain, "sel1", aligned ? "pass" : "fail"), new DkimAuth("esp.example", "x", "pass")),
                disposition, reason, aligned, aligned, POLICY);
    }

    void observe(Observation o, int times) {
        for (int i = 0; i < times; i++) store.reports().recordObservation(o);
    }

    byte[] blob(Spool.QueuedMessage m) throws Exception {
        try (InputStream in = store.blobs().open(m.blob().id())) {
            return in.readAllBytes();
        }
    }

    @Test
    void reportsAreSpooledToAuthorizedDestinationsAndParseBack() throws Exception {
        observe(obs(DAY, "a.example", "192.0.2.1", true, "none", null), 5);
        observe(obs(DAY, "a.example", "198.51.100.7", false, "reject", null), 2);
        observe(obs(DAY, "a.example", "2001:db8::9", false, "none", "trusted_forwarder"), 1);
        observe(obs(DAY, "b.example", "192.0.2.1", true, "none", null), 1);
        observe(obs(DAY, "c.example", "192.0.2.1", true, "none", null), 1);
        observe(obs(DAY, "d.example", "192.0.2.1", true, "none", null), 1);
        observe(obs(DAY.plusDays(1), "a.example", "192.0.2.1", true, "none", null), 1); // today: not yet

        List<DmarcReportSender.RunResult> runs = sender.runDue();
        assertThat(runs).extracting(DmarcReportSender.RunResult::day).containsExactly(DAY);
        List<DmarcReportSender.Sent> sent = runs.getFirst().reports();
        assertThat(sent).extracting(DmarcReportSender.Sent::policyDomain).containsExactly("a.example", "b.example", "c.example", "d.example");

        DmarcReportSender.Sent a = sent.getFirst();
        assertThat(a.reportId()).isEqualTo("20260301.a.example@mx.ours.test");
        assertThat(a.messages()).isEqualTo(8);
        assertThat(a.recipients()).containsExactly("dmarc@a.example", "rua@thirdparty.example");
        assertThat(a.skipped()).hasSize(2).anySatisfy(s -> assertThat(s).contains("rua@unauthorized.example")
                .contains("not authorized by a.example._report._dmarc.unauthorized.example"))
                .anySatisfy(s -> assertThat(s).startsWith("https://reports.a.example/rua"));
        assertThat(sent.get(1).recipients()).isEmpty();
        assertThat(sent.get(1).skipped()).singleElement().asString().contains("exceeds its limit of 1024");
        assertThat(sent.get(2).recipients()).isEmpty();
        assertThat(sent.get(2).skipped()).containsExactly("no rua in _dmarc.c.example");
        assertThat(sent.get(3).recipients()).containsExactly("new@collector.example");
        assertThat(wakes.get()).isEqualTo(2);

        List<Spool.QueuedMessage> spooled = store.spool().list(100);
        assertThat(spooled).hasSize(2);
        Spool.QueuedMessage ma = spooled.stream().filter(m -> m.id() == a.queueId()).findFirst().orElseThrow();
        assertThat(ma.envelope().mailFrom()).isEqualTo("postmaster@mx.ours.test");
        assertThat(ma.recipients()).extracting(Spool.QueuedRecipient::address).containsExactly("dmarc@a.example", "rua@thirdparty.example");

        byte[] mail = blob(ma);
        String text = new String(mail, StandardCharsets.US_ASCII);
        // RFC 7489 §7.2.1.1 subject, media type and file name
        assertThat(text.replace("\r\n ", " ")).contains("Subject: Report Domain: a.example Submitter: mx.ours.test Report-ID: <20260301.a.example@mx.ours.test>\r\n");
        long begin = Instant.parse("2026-03-01T00:00:00Z").getEpochSecond();
        assertThat(text).contains("Content-Type: application/gzip")
                .contains("filename=\"mx.ours.test!a.example!" + begin + "!" + (begin + 86399) + ".xml.gz\"")
                .contains("Auto-Submitted: auto-generated");
        for (String line : text.split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(998);

        DmarcAggregateReport report = DmarcReportMail.parse(new java.io.ByteArrayInputStream(mail));
        assertThat(report.metadata().orgName()).isEqualTo("mx.ours.test");
        assertThat(report.metadata().email()).isEqualTo("postmaster@mx.ours.test");
        assertThat(report.metadata().reportId()).isEqualTo("20260301.a.example@mx.ours.test");
        assertThat(report.metadata().begin()).isEqualTo(begin);
        assertThat(report.metadata().end()).isEqualTo(begin + 86399);
        assertThat(report.policy().domain()).isEqualTo("a.example");
        assertThat(report.policy().p()).isEqualTo(DmarcRecord.Policy.REJECT);
        assertThat(report.policy().pct()).isEqualTo(100);
        assertThat(report.records()).hasSize(3);
        assertThat(report.records()).extracting(r -> r.row().count()).containsExactly(5L, 2L, 1L);
        assertThat(report.records().stream().mapToLong(r -> r.row().count()).sum()).isEqualTo(8);
        DmarcAggregateReport.Record pass = report.records().get(0), rejected = report.records().get(1), forwarded = report.records().get(2);
        assertThat(pass.row().sourceIp()).isEqualTo("192.0.2.1");
        assertThat(List.of(pass.row().disposition(), pass.row().dkim(), pass.row().spf())).containsExactly("none", "pass", "pass");
        assertThat(List.of(rejected.row().disposition(), rejected.row().dkim(), rejected.row().spf())).containsExactly("reject", "fail", "fail");
        assertThat(forwarded.row().reasons()).extracting(DmarcAggregateReport.Reason::type).containsExactly("trusted_forwarder");
        assertThat(pass.identifiers().headerFrom()).isEqualTo("a.example");
        assertThat(pass.identifiers().envelopeFrom()).isEqualTo("bounce.a.example");
        assertThat(pass.dkim()).extracting(DmarcAggregateReport.DkimResult::domain).containsExactly("a.example", "esp.example");
        assertThat(pass.dkim()).extracting(DmarcAggregateReport.DkimResult::selector).containsExactly("sel1", "x");
        assertThat(rejected.dkim().getFirst().result()).isEqualTo("fail");
        assertThat(pass.spf()).singleElement().satisfies(s -> {
            assertThat(s.domain()).isEqualTo("bounce.a.example");
            assertThat(s.scope()).isEqualTo("mfrom");
            assertThat(s.result()).isEqualTo("pass");
        });
    }

    @Test
    void aDayIsReportedOnceAcrossRunsAndRestarts() throws Exception {
        observe(obs(DAY, "a.example", "192.0.2.1", true, "none", null), 1);
        now.set(Instant.parse("2026-03-01T23:59:59Z"));
        assertThat(sender.runDue()).isEmpty();                                 // the day is not over
        now.set(Instant.parse("2026-03-02T00:00:01Z"));
        assertThat(sender.runDue()).singleElement().satisfies(r -> assertThat(r.reports()).hasSize(1));
        assertThat(sender.runDue()).isEmpty();
        assertThat(sender.runOnce(DAY).alreadySent()).isTrue();
        assertThat(store.reports().isSent(Reports.RUN_DMARC, DAY)).isTrue();

        // a new sender (a restart) does not report the day again
        DmarcReportSender again = new DmarcReportSender(store, ZONE, PublicSuffixList.bundled(), clock,
                DmarcReportSender.Settings.of("postmaster@mx.ours.test"), () -> { });
        assertThat(again.runDue()).isEmpty();
        assertThat(store.spool().list(100)).hasSize(1);
    }

    @Test
    void theSchedulerSendsFinishedDaysByItself() throws Exception {
        observe(obs(DAY, "a.example", "192.0.2.1", true, "none", null), 3);
        sender.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!store.reports().isSent(Reports.RUN_DMARC, DAY) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(store.reports().isSent(Reports.RUN_DMARC, DAY)).isTrue();
        assertThat(store.spool().list(100)).hasSize(1);
    }

    @Test
    void oldObservationsArePruned() {
        observe(obs(LocalDate.parse("2026-01-01"), "c.example", "192.0.2.1", true, "none", null), 1);
        sender.runDue();
        assertThat(store.reports().observations(LocalDate.parse("2026-01-01"))).isEmpty();
        assertThat(store.reports().isSent(Reports.RUN_DMARC, LocalDate.parse("2026-01-01"))).isTrue();
    }
}
