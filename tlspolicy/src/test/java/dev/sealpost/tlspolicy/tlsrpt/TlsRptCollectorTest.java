package dev.sealpost.tlspolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.testkit.MutableClock;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector.Failure;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector.PolicyKey;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyResult;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyType;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.ResultType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

class TlsRptCollectorTest {
    static final PolicyKey STS = new PolicyKey(PolicyType.STS, "Example.com",
            List.of("version: STSv1", "mode: enforce", "mx: *.example.com", "max_age: 86400"), List.of("*.example.com"));
    static final PolicyKey TLSA = new PolicyKey(PolicyType.TLSA, "example.com", List.of("3 1 1 00ff"), List.of("mx1.example.com"));
    static final PolicyKey NONE = PolicyKey.noPolicy("other.example");

    @Test
    void aggregatesPerDayDomainPolicyAndFailureDetail() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-02-03T10:00:00Z"));
        TlsRptCollector c = new TlsRptCollector(clock);
        c.success(STS);
        c.success(STS);
        c.failure(STS, Failure.of(ResultType.CERTIFICATE_EXPIRED, "192.0.2.1", "mx1.example.com", "198.51.100.1"));
        c.failure(STS, Failure.of(ResultType.CERTIFICATE_EXPIRED, "192.0.2.1", "mx1.example.com", "198.51.100.1"));
        c.failure(STS, Failure.of(ResultType.STARTTLS_NOT_SUPPORTED, "192.0.2.1", "mx2.example.com", null));
        c.success(TLSA);
        c.success(NONE);
        clock.advance(Duration.ofDays(1));
        c.failure(TLSA, Failure.of(ResultType.VALIDATION_FAILURE, null, "mx1.example.com", null));

        assertThat(c.days()).containsExactly(LocalDate.parse("2026-02-03"), LocalDate.parse("2026-02-04"));
        List<TlsRptReport> reports = c.drain(LocalDate.parse("2026-02-03"), "Sealpost", "mailto:postmaster@sender.example");
        assertThat(reports).hasSize(2);
        TlsRptReport ex = reports.stream().filter(r -> r.reportId().endsWith("example.com")).findFirst().orElseThrow();
        assertThat(ex.startDatetime()).isEqualTo(Instant.parse("2026-02-03T00:00:00Z"));
        assertThat(ex.endDatetime()).isEqualTo(Instant.parse("2026-02-03T23:59:59Z"));
        assertThat(ex.reportId()).isEqualTo("2026-02-03T00:00:00Z_example.com");
        assertThat(ex.organizationName()).isEqualTo("Sealpost");
        assertThat(ex.policies()).hasSize(2);
        PolicyResult sts = ex.policies().get(0);
        assertThat(sts.policy().policyType()).isEqualTo("sts");
        assertThat(sts.policy().policyDomain()).isEqualTo("example.com");
        assertThat(sts.totalSuccessfulSessionCount()).isEqualTo(2);
        assertThat(sts.totalFailureSessionCount()).isEqualTo(3);
        assertThat(sts.failureDetails()).hasSize(2);
        assertThat(sts.failureDetails().get(0).resultType()).isEqualTo("certificate-expired");
        assertThat(sts.failureDetails().get(0).failedSessionCount()).isEqualTo(2);
        assertThat(sts.failureDetails().get(0).receivingIp()).isEqualTo("198.51.100.1");
        assertThat(ex.policies().get(1).policy().policyString()).containsExactly("3 1 1 00ff");
        assertThat(ex.policies().get(1).totalSuccessfulSessionCount()).isEqualTo(1);
        // the reports are valid JSON reports
        for (TlsRptReport r : reports) assertThat(TlsRptReportJson.parse(TlsRptReportJson.write(r))).isEqualTo(r);

        // drained: gone; the next day is untouched
        assertThat(c.drain(LocalDate.parse("2026-02-03"), "Sealpost", "x")).isEmpty();
        List<TlsRptReport> next = c.reports(LocalDate.parse("2026-02-04"), "Sealpost", "x");
        assertThat(next).singleElement().satisfies(r -> assertThat(r.policies().getFirst().totalFailureSessionCount()).isEqualTo(1));
        assertThat(c.reports(LocalDate.parse("2026-02-04"), "Sealpost", "x")).hasSize(1);
    }

    @Test
    void threadSafeCounting() throws InterruptedException {
        TlsRptCollector c = new TlsRptCollector(new MutableClock(Instant.parse("2026-02-03T10:00:00Z")));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int n = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    if (i % 10 == 0) c.failure(STS, Failure.of(ResultType.VALIDATION_FAILURE, null, "mx" + n + ".example.com", null));
                    else c.success(STS);
                }
            }));
        }
        for (Thread t : threads) t.join();
        PolicyResult r = c.reports(LocalDate.parse("2026-02-03"), "o", "c").getFirst().policies().getFirst();
        assertThat(r.totalSuccessfulSessionCount()).isEqualTo(7200);
        assertThat(r.totalFailureSessionCount()).isEqualTo(800);
        assertThat(r.failureDetails()).hasSize(8).allSatisfy(d -> assertThat(d.failedSessionCount()).isEqualTo(100));
    }

    @Test
    void distinctFailureDetailsAreBoundedButStillCounted() {
        TlsRptCollector c = new TlsRptCollector(new MutableClock(Instant.parse("2026-02-03T10:00:00Z")));
        int n = TlsRptCollector.MAX_DETAILS_PER_POLICY + 5;
        for (int i = 0; i < n; i++) c.failure(STS, Failure.of(ResultType.VALIDATION_FAILURE, "10.0." + (i / 256) + "." + (i % 256), null, null));
        PolicyResult r = c.reports(LocalDate.parse("2026-02-03"), "o", "c").getFirst().policies().getFirst();
        assertThat(r.totalFailureSessionCount()).isEqualTo(n);
        assertThat(r.failureDetails()).hasSize(TlsRptCollector.MAX_DETAILS_PER_POLICY);
    }
}
