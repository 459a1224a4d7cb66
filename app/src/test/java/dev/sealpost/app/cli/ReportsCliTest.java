package dev.sealpost.app.cli;

import dev.sealpost.store.Reports;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost reports ...} on a data directory. */
class ReportsCliTest {
    @TempDir
    Path dir;
    private CliRun cli;

    @BeforeEach
    void capture() {
        cli = new CliRun(dir);
    }

    @AfterEach
    void restore() {
        cli.close();
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void listShowAndObserved() {
        assertThat(run("reports", "list")).isZero();
        assertThat(cli.out()).contains("no reports received");
        long id;
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            Instant t = Instant.parse("2026-03-01T00:00:00Z");
            id = s.reports().saveReceived(new Reports.ReceivedReport(0, Reports.ReportKind.DMARC, "google.com", "r1", "example.com",
                    t, t.plusSeconds(86399), t.plusSeconds(90000), 12, 3, "<feedback/>")).orElseThrow();
            s.reports().saveReceived(new Reports.ReceivedReport(0, Reports.ReportKind.TLSRPT, "Google Inc.", "r2", "example.com",
                    t, t.plusSeconds(86399), t.plusSeconds(90001), 24, 1, "{}"));
            s.reports().recordObservation(new Reports.Observation(LocalDate.parse("2026-03-01"), "sender.example", "192.0.2.1",
                    "sender.example", null, null, null, null, List.of(), "reject", null, false, false,
                    new Reports.PublishedPolicy("r", "r", "reject", null, null, 100, null)));
        }
        assertThat(run("reports", "list")).isZero();
        String list = cli.out();
        assertThat(list.lines()).hasSize(2);
        assertThat(list.lines().findFirst().orElseThrow()).contains("tlsrpt", "Google Inc.", "24 sessions, 1 failed");
        assertThat(list).contains("dmarc", "google.com", "example.com", "12 messages, 3 failed", "(id r1)");
        assertThat(run("reports", "list", "--kind", "dmarc")).isZero();
        assertThat(cli.out().lines()).hasSize(1);
        assertThat(run("reports", "list", "--kind", "arf")).isNotZero();
        assertThat(cli.err()).contains("expected dmarc or tlsrpt");
        assertThat(run("reports", "show", Long.toString(id))).isZero();
        assertThat(cli.out()).isEqualTo("<feedback/>" + System.lineSeparator());
        assertThat(run("reports", "observed", "--day", "2026-03-01")).isZero();
        assertThat(cli.out()).contains("not reported yet", "sender.example: 1 message(s)",
                "192.0.2.1", "disposition=reject");
    }
}
