package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Reports;
import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports end to end: a message at the MX under a DMARC policy is counted for our aggregate
 * report, and a DMARC report mail sent to a configured report mailbox is stored and delivered.
 */
class DmarcReportsEndToEndTest {
    static final Path SAMPLE = SharedSuite.path("dmarc/stalwart-reports/100.eml");

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        String zone = """
                $TTL 300
                example.org.         IN TXT "v=spf1 ip4:127.0.0.1 -all"
                _dmarc.example.org.  IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.org"
                """;
        server = new TestServer(dir, "\n[auth]\nreport_mailboxes = [\"dmarc-reports@example.test\"]\n", zone);
        server.store().directory().addAlias("dmarc-reports@example.test", "bob@example.test");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void sendMx(String mailFrom, String rcpt, String message) throws Exception {
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.cmd("EHLO relay.example.org")).startsWith("250");
            assertThat(c.cmd("MAIL FROM:<" + mailFrom + ">")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<" + rcpt + ">")).startsWith("250");
            assertThat(c.cmd("DATA")).startsWith("354");
            StringBuilder b = new StringBuilder();
            for (String line : message.split("\r?\n", -1)) b.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
            c.sendRaw((b + ".\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(c.reply()).startsWith("250");
            c.cmd("QUIT");
        }
    }

    @Test
    void mxMessageIsObservedForTheAggregateReport() throws Exception {
        sendMx("bounces@example.org", "bob@example.test",
                "From: Alice <alice@example.org>\r\nTo: bob@example.test\r\nSubject: counted for DMARC\r\n\r\nhello\r\n");
        server.awaitContent("bob@example.test", "Subject: counted for DMARC");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, List<Reports.ObservationCount>> obs = server.store().reports().observations(today);
        if (obs.isEmpty()) obs = server.store().reports().observations(today.minusDays(1)); // sent just before midnight UTC
        assertThat(obs).containsKey("example.org");
        Reports.ObservationCount oc = obs.get("example.org").getFirst();
        assertThat(oc.count()).isEqualTo(1);
        assertThat(oc.observation().sourceIp()).isEqualTo("127.0.0.1");
        assertThat(oc.observation().headerFrom()).isEqualTo("example.org");
        assertThat(oc.observation().spfResult()).isEqualTo("pass");
        assertThat(oc.observation().dmarcSpfAligned()).isTrue();
        assertThat(oc.observation().disposition()).isEqualTo("none");
        assertThat(oc.observation().policy().p()).isEqualTo("reject");
    }

    @Test
    void reportMailToAReportMailboxIsStoredAndDelivered() throws Exception {
        String sample = Files.readString(SAMPLE, StandardCharsets.ISO_8859_1);
        sendMx("noreply-dmarc-support@google.com", "dmarc-reports@example.test", sample);
        server.awaitContent("bob@example.test", "5264580628977113351");
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        List<Reports.ReceivedReport> got = server.store().reports().received(Reports.ReportKind.DMARC, 10);
        while (got.isEmpty() && Instant.now().isBefore(end)) {
            Thread.sleep(20);
            got = server.store().reports().received(Reports.ReportKind.DMARC, 10);
        }
        assertThat(got).singleElement().satisfies(r -> {
            assertThat(r.orgName()).isEqualTo("google.com");
            assertThat(r.reportId()).isEqualTo("5264580628977113351");
            assertThat(r.domain()).isEqualTo("stalw.art");
        });
    }
}
