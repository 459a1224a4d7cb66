package dev.sealpost.delivery;

import dev.sealpost.auth.dmarc.DmarcReportXml;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Reports.ReceivedReport;
import dev.sealpost.store.Reports.ReportKind;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.SharedSuite;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReportJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Received DMARC and TLS-RPT report mails (the shared samples) are parsed and stored; delivery goes on regardless. */
class ReportIntakeTest {
    static final Path DMARC = SharedSuite.path("dmarc/stalwart-reports");
    static final Path TLSRPT = SharedSuite.path("tlsrpt/stalwart");
    static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path dir;
    Store store;
    ReportIntake intake;

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.fixed(NOW, ZoneOffset.UTC)),
                pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount("alice@example.test", "pw".toCharArray());
        store.directory().addAlias("dmarc-reports@example.test", "alice@example.test");
        store.directory().addAlias("tlsrpt@example.test", "alice@example.test");
        intake = new ReportIntake(store.reports(), List.of("DMARC-Reports@example.test", "tlsrpt@example.test"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static List<Path> samples(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    @Test
    void everySharedSampleIsStoredOnceWithItsFigures() throws Exception {
        List<Path> dmarc = samples(DMARC), tls = samples(TLSRPT);
        assertThat(dmarc).hasSize(5);
        assertThat(tls).hasSize(2);
        List<ReportIntake.Outcome> outcomes = new ArrayList<>();
        for (Path p : Stream.concat(dmarc.stream(), tls.stream()).toList()) outcomes.add(intake.take(Files.readAllBytes(p), NOW));
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(ReportIntake.Stored.class));

        List<ReceivedReport> d = store.reports().received(ReportKind.DMARC, 100);
        assertThat(d).hasSize(5);
        assertThat(d).extracting(ReceivedReport::orgName)
                .containsExactlyInAnyOrder("google.com", "\"backschues.NET", "Mail.Ru", "Outlook.com", "AMAZON-SES");
        assertThat(d).allSatisfy(r -> {
            assertThat(r.domain()).isEqualTo("stalw.art");
            assertThat(r.messageCount()).isEqualTo(1);
            assertThat(r.receivedAt()).isEqualTo(NOW);
            // the stored XML is the report itself: it parses back to the same id
            assertThat(DmarcReportXml.parse(new ByteArrayInputStream(r.content().getBytes(StandardCharsets.UTF_8))).metadata().reportId())
                    .isEqualTo(r.reportId());
        });
        ReceivedReport google = d.stream().filter(r -> r.orgName().equals("google.com")).findFirst().orElseThrow();
        assertThat(google.reportId()).isEqualTo("5264580628977113351");
        assertThat(google.begin()).isEqualTo(Instant.ofEpochSecond(1669507200));
        assertThat(google.end()).isEqualTo(Instant.ofEpochSecond(1669593599));

        List<ReceivedReport> t = store.reports().received(ReportKind.TLSRPT, 100);
        assertThat(t).hasSize(2);
        ReceivedReport x = t.stream().filter(r -> r.orgName().equals("Company-X")).findFirst().orElseThrow();
        assertThat(x.reportId()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        assertThat(x.domain()).isEqualTo("example.net"); // the TLS-Report-Domain header
        assertThat(x.messageCount()).isEqualTo(5326 + 303);
        assertThat(x.failureCount()).isEqualTo(303);
        assertThat(x.begin()).isEqualTo(Instant.parse("2016-04-01T00:00:00Z"));
        assertThat(TlsRptReportJson.parse(x.content().getBytes(StandardCharsets.UTF_8)).reportId()).isEqualTo(x.reportId());
        ReceivedReport g = t.stream().filter(r -> r.orgName().equals("Google Inc.")).findFirst().orElseThrow();
        assertThat(List.of(g.messageCount(), g.failureCount())).containsExactly(24L, 1L);

        // the same mails again: recognised, not stored twice
        for (Path p : List.of(dmarc.getFirst(), tls.getFirst())) {
            assertThat(intake.take(Files.readAllBytes(p), NOW)).isInstanceOf(ReportIntake.Duplicate.class);
        }
        assertThat(store.reports().received(null, 100)).hasSize(7);
    }

    @Test
    void mailThatIsNoReportIsNamedSo() {
        ReportIntake.Outcome o = intake.take("Subject: hello\r\n\r\nJust a note.\r\n".getBytes(StandardCharsets.US_ASCII), NOW);
        assertThat(o).isInstanceOf(ReportIntake.NotAReport.class);
        assertThat(((ReportIntake.NotAReport) o).reason()).contains("not a DMARC report");
        byte[] broken = ("Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b\"\r\n\r\n--b\r\n"
                + "Content-Type: application/tlsrpt+json\r\n\r\n{\"organization-name\": 1}\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(intake.take(broken, NOW)).isInstanceOfSatisfying(ReportIntake.NotAReport.class,
                n -> assertThat(n.reason()).startsWith("not a TLS report"));
        assertThat(store.reports().received(null, 10)).isEmpty();
    }

    @Test
    void mailboxesMatchCaseInsensitively() {
        assertThat(intake.isReportMailbox("dmarc-reports@EXAMPLE.test")).isTrue();
        assertThat(intake.isReportMailbox("TLSRPT@example.test")).isTrue();
        assertThat(intake.isReportMailbox("alice@example.test")).isFalse();
        assertThat(new ReportIntake(store.reports(), List.of()).isReportMailbox("tlsrpt@example.test")).isFalse();
    }

    private long enqueue(byte[] mail, String... rcpts) throws Exception {
        BlobRef blob = store.blobs().put(mail);
        return store.spool().enqueue(new Spool.Envelope("noreply@reporter.test", Stream.of(rcpts).map(a -> new Spool.Recipient(a, null, null)).toList(),
                "192.0.2.1", "reporter.test", null, "s1", false, false, "8BITMIME", null, null, NOW), blob);
    }

    @Test
    void localDeliveryStoresReportsAndStillDeliversEveryMessage() throws Exception {
        enqueue(Files.readAllBytes(samples(DMARC).getFirst()), "dmarc-reports@example.test");
        enqueue(Files.readAllBytes(samples(TLSRPT).getFirst()), "tlsrpt@example.test");
        enqueue("Subject: not a report\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII), "dmarc-reports@example.test");
        enqueue(Files.readAllBytes(samples(DMARC).get(1)), "alice@example.test"); // not a report mailbox: not read
        new LocalDelivery(store, Duration.ofSeconds(1), intake).runOnce();

        long alice = store.directory().account("alice@example.test").orElseThrow().id();
        assertThat(store.mailboxes().messages(alice, "INBOX")).hasSize(4);
        assertThat(store.reports().received(null, 10)).extracting(ReceivedReport::kind)
                .containsExactlyInAnyOrder(ReportKind.DMARC, ReportKind.TLSRPT);
        assertThat(store.spool().pendingLocal(10)).isEmpty();
    }
}
