package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.Reports.DkimAuth;
import dev.sealpost.store.Reports.Observation;
import dev.sealpost.store.Reports.ObservationCount;
import dev.sealpost.store.Reports.PublishedPolicy;
import dev.sealpost.store.Reports.ReceivedReport;
import dev.sealpost.store.Reports.ReportKind;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The report data's behaviour on every backend (subclasses give a fresh database per test). */
abstract class ReportsContract {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final LocalDate DAY1 = LocalDate.parse("2026-03-01");
    static final LocalDate DAY2 = LocalDate.parse("2026-03-02");
    static final PublishedPolicy POLICY = new PublishedPolicy("r", "s", "reject", "quarantine", null, 100, "0");

    @TempDir
    Path dataDir;
    MutableClock clock;
    Store store;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        clock = new MutableClock(T0);
        store = JdbcStore.open(freshConfig(dataDir, clock), pw -> PasswordHasher.hash(pw, 1000, 4096));
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    Reports r() {
        return store.reports();
    }

    static Observation obs(LocalDate day, String policyDomain, String ip, String disposition, List<DkimAuth> dkim) {
        return new Observation(day, policyDomain, ip, policyDomain, "bounce." + policyDomain, "bounce." + policyDomain, "mfrom",
                "pass", dkim, disposition, null, true, !dkim.isEmpty() && dkim.getFirst().result().equals("pass"), POLICY);
    }

    @Test
    void identicalObservationsAggregateAndDifferentOnesDoNot() {
        List<DkimAuth> sig = List.of(new DkimAuth("a.example", "s1", "pass"));
        for (int i = 0; i < 3; i++) r().recordObservation(obs(DAY1, "a.example", "192.0.2.1", "none", sig));
        r().recordObservation(obs(DAY1, "a.example", "192.0.2.2", "none", sig));                      // other IP
        r().recordObservation(obs(DAY1, "a.example", "192.0.2.1", "none", List.of()));                 // no DKIM
        r().recordObservation(obs(DAY1, "b.example", "2001:db8::1", "reject", List.of()));
        r().recordObservation(obs(DAY2, "a.example", "192.0.2.1", "none", sig));                       // other day

        Map<String, List<ObservationCount>> day1 = r().observations(DAY1);
        assertThat(day1.keySet()).containsExactly("a.example", "b.example");
        List<ObservationCount> a = day1.get("a.example");
        assertThat(a).extracting(ObservationCount::count).containsExactly(3L, 1L, 1L);
        assertThat(a.getFirst().observation()).isEqualTo(obs(DAY1, "a.example", "192.0.2.1", "none", sig)); // round trip
        assertThat(a.get(2).observation().dkim()).isEmpty();
        assertThat(day1.get("b.example").getFirst().observation().disposition()).isEqualTo("reject");
        assertThat(r().observations(DAY2).get("a.example")).extracting(ObservationCount::count).containsExactly(1L);
        assertThat(r().observations(LocalDate.parse("2026-02-28"))).isEmpty();
    }

    @Test
    void severalDkimSignaturesRoundTripIncludingEmptyParts() {
        List<DkimAuth> sigs = List.of(new DkimAuth("a.example", "s1", "pass"), new DkimAuth("", "", "permerror"),
                new DkimAuth("esp.example", "sel 2", "fail"));
        Observation o = new Observation(DAY1, "a.example", "192.0.2.1", "a.example", null, "helo.example", "helo", "none", sigs,
                "quarantine", "sampled_out", false, true, new PublishedPolicy(null, null, "none", null, null, null, null));
        r().recordObservation(o);
        r().recordObservation(o);
        Observation back = r().observations(DAY1).get("a.example").getFirst().observation();
        assertThat(back.dkim()).containsExactly(new DkimAuth("a.example", "s1", "pass"), new DkimAuth("", "", "permerror"),
                new DkimAuth("esp.example", "sel?2", "fail")); // a space cannot separate entries: replaced
        assertThat(back.envelopeFrom()).isNull();
        assertThat(back.overrideReason()).isEqualTo("sampled_out");
        assertThat(back.policy().pct()).isNull();
        assertThat(r().observations(DAY1).get("a.example").getFirst().count()).isEqualTo(2);
    }

    @Test
    void controlCharactersAndLongValuesAreTamed() {
        Observation o = new Observation(DAY1, "a.example", "192.0.2.1", "x\r\nBcc: y".repeat(50), null, null, null, null,
                List.of(), "none", null, false, false, POLICY);
        r().recordObservation(o);
        String from = r().observations(DAY1).get("a.example").getFirst().observation().headerFrom();
        assertThat(from).hasSize(Reports.MAX_TEXT).doesNotContain("\r", "\n").startsWith("x??Bcc: y");
    }

    @Test
    void concurrentObservationsAreAllCounted() throws Exception {
        List<DkimAuth> sig = List.of(new DkimAuth("a.example", "s1", "pass"));
        try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String ip = "192.0.2." + (i % 3);
                fs.add(ex.submit(() -> r().recordObservation(obs(DAY1, "a.example", ip, "none", sig))));
            }
            for (Future<?> f : fs) f.get();
        }
        assertThat(r().observations(DAY1).get("a.example")).extracting(ObservationCount::count).containsExactly(20L, 20L, 20L);
    }

    @Test
    void unsentDaysMarkSentAndPrune() {
        r().recordObservation(obs(DAY1, "a.example", "192.0.2.1", "none", List.of()));
        r().recordObservation(obs(DAY2, "a.example", "192.0.2.1", "none", List.of()));
        assertThat(r().unsentDays(Reports.RUN_DMARC, DAY2)).containsExactly(DAY1);               // today is not finished
        assertThat(r().unsentDays(Reports.RUN_DMARC, DAY2.plusDays(1))).containsExactly(DAY1, DAY2);
        assertThat(r().isSent(Reports.RUN_DMARC, DAY1)).isFalse();
        assertThat(r().markSent(Reports.RUN_DMARC, DAY1)).isTrue();
        assertThat(r().markSent(Reports.RUN_DMARC, DAY1)).isFalse();                              // idempotent
        assertThat(r().isSent(Reports.RUN_DMARC, DAY1)).isTrue();
        assertThat(r().isSent(Reports.RUN_TLSRPT, DAY1)).isFalse();                               // kinds are separate
        assertThat(r().unsentDays(Reports.RUN_DMARC, DAY2.plusDays(1))).containsExactly(DAY2);
        assertThat(r().unsentDays(Reports.RUN_TLSRPT, DAY2.plusDays(1))).containsExactly(DAY1, DAY2);
        assertThat(r().pruneObservations(DAY2)).isEqualTo(1);
        assertThat(r().observations(DAY1)).isEmpty();
        assertThat(r().observations(DAY2)).isNotEmpty();
    }

    static ReceivedReport report(ReportKind kind, String org, String id, String content) {
        return new ReceivedReport(0, kind, org, id, "example.com", Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-01T23:59:59Z"), T0, 12, 2, content);
    }

    @Test
    void receivedReportsAreDeduplicatedPerKindOrgAndId() {
        Optional<Long> first = r().saveReceived(report(ReportKind.DMARC, "google.com", "123", "<feedback/>"));
        assertThat(first).isPresent();
        assertThat(r().saveReceived(report(ReportKind.DMARC, "google.com", "123", "<feedback>again</feedback>"))).isEmpty();
        assertThat(r().saveReceived(report(ReportKind.DMARC, "yahoo.com", "123", "<feedback/>"))).isPresent();
        assertThat(r().saveReceived(report(ReportKind.TLSRPT, "google.com", "123", "{}"))).isPresent();
        assertThat(r().saveReceived(report(ReportKind.TLSRPT, null, "no-org", "{}"))).isPresent();   // absent org: ""
        assertThat(r().saveReceived(report(ReportKind.TLSRPT, "", "no-org", "{}"))).isEmpty();

        ReceivedReport stored = r().receivedReport(first.get()).orElseThrow();
        assertThat(stored).isEqualTo(report(ReportKind.DMARC, "google.com", "123", "<feedback/>").withId(first.get()));
        assertThat(r().received(null, 100)).hasSize(4);
        assertThat(r().received(ReportKind.DMARC, 100)).extracting(ReceivedReport::orgName).containsExactlyInAnyOrder("google.com", "yahoo.com");
        assertThat(r().received(ReportKind.TLSRPT, 1)).hasSize(1);
        assertThat(r().receivedReport(9999)).isEmpty();
    }

    @Test
    void receivedListIsNewestFirstAndNulCharactersAreStorable() {
        r().saveReceived(report(ReportKind.DMARC, "a", "1", "old"));
        clock.advance(Duration.ofHours(1));
        r().saveReceived(new ReceivedReport(0, ReportKind.DMARC, "a", "2", null, T0, T0, clock.instant(), 0, 0, "new\u0000"));
        List<ReceivedReport> all = r().received(ReportKind.DMARC, 10);
        assertThat(all).extracting(ReceivedReport::reportId).containsExactly("2", "1");
        assertThat(all.getFirst().content()).isEqualTo("new\uFFFD");
        assertThat(all.getFirst().domain()).isNull();
    }
}
