package dev.sealpost.tlspolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.testkit.SharedSuite;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.FailureDetail;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyResult;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyType;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.ResultType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared TLS-RPT samples ({@code ../shared/conformance/tlsrpt}, see its SOURCE.md): every JSON
 * report and report mail parses, key values match, each mail carries the same report as its JSON
 * file, and each report survives our write → parse round trip. The number of samples is asserted.
 */
class TlsRptConformanceTest {
    static Path dir() {
        return SharedSuite.path("tlsrpt/stalwart");
    }

    static List<Path> files(String ext) throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(f -> f.getFileName().toString().endsWith(ext)).sorted().toList();
        }
    }

    static TlsRptReport json(String name) throws IOException {
        return TlsRptReportJson.parse(Files.readAllBytes(dir().resolve(name)));
    }

    @Test
    void everySampleParsesAndRoundTrips() throws IOException {
        int parsed = 0;
        for (Path f : files(".json")) {
            TlsRptReport r = TlsRptReportJson.parse(Files.readAllBytes(f));
            assertThat(TlsRptReportJson.parse(TlsRptReportJson.write(r))).as(f.toString()).isEqualTo(r);
            assertThat(TlsRptReportJson.parse(TlsRptReportJson.writeGzip(r))).as(f.toString()).isEqualTo(r);
            parsed++;
        }
        for (Path f : files(".eml")) {
            TlsRptReportMail.ReceivedReport m;
            try (InputStream in = Files.newInputStream(f)) {
                m = TlsRptReportMail.parse(in);
            }
            // SOURCE.md: parsing rptNN.eml gives the same report as rptNN.json
            String json = f.getFileName().toString().replace(".eml", ".json");
            assertThat(m.report()).as(f.toString()).isEqualTo(json(json));
            assertThat(m.reportDomain()).isEqualTo("example.net");
            assertThat(m.submitter()).isEqualTo("mail.sender.example.com");
            parsed++;
        }
        assertThat(parsed).as("samples parsed (3 JSON + 2 mails)").isEqualTo(5);
    }

    @Test
    void rpt01IsTheRfcAppendixBExample() throws IOException {
        TlsRptReport r = json("rpt01.json");
        assertThat(r.organizationName()).isEqualTo("Company-X");
        assertThat(r.startDatetime()).isEqualTo(Instant.parse("2016-04-01T00:00:00Z"));
        assertThat(r.endDatetime()).isEqualTo(Instant.parse("2016-04-01T23:59:59Z"));
        assertThat(r.contactInfo()).isEqualTo("sts-reporting@company-x.example");
        assertThat(r.reportId()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        assertThat(r.policies()).hasSize(1);
        PolicyResult p = r.policies().getFirst();
        assertThat(p.policy().knownType()).contains(PolicyType.STS);
        assertThat(p.policy().policyString()).containsExactly("version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400");
        assertThat(p.policy().policyDomain()).isEqualTo("company-y.example");
        assertThat(p.policy().mxHost()).containsExactly("*.mail.company-y.example");
        assertThat(p.totalSuccessfulSessionCount()).isEqualTo(5326);
        assertThat(p.totalFailureSessionCount()).isEqualTo(303);
        assertThat(p.failureDetails()).extracting(FailureDetail::knownResultType).containsExactly(
                java.util.Optional.of(ResultType.CERTIFICATE_EXPIRED), java.util.Optional.of(ResultType.STARTTLS_NOT_SUPPORTED),
                java.util.Optional.of(ResultType.VALIDATION_FAILURE));
        FailureDetail f1 = p.failureDetails().get(1);
        assertThat(f1.sendingMtaIp()).isEqualTo("2001:db8:abcd:0013::1");
        assertThat(f1.receivingMxHostname()).isEqualTo("mx2.mail.company-y.example");
        assertThat(f1.receivingIp()).isEqualTo("203.0.113.56");
        assertThat(f1.failedSessionCount()).isEqualTo(200);
        assertThat(f1.additionalInformation()).startsWith("https://reports.company-x.example/report_info");
        assertThat(p.failureDetails().get(2).failureReasonCode()).isEqualTo("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
        assertThat(p.failureDetails().stream().mapToLong(FailureDetail::failedSessionCount).sum()).isEqualTo(303);
    }

    @Test
    void rpt02AndRpt03() throws IOException {
        TlsRptReport r2 = json("rpt02.json");
        assertThat(r2.organizationName()).isEqualTo("Google Inc.");
        assertThat(r2.reportId()).isEqualTo("2020-01-01T00:00:00Z_example.com");
        assertThat(r2.endDatetime()).isEqualTo(Instant.parse("2020-01-07T23:59:59Z"));
        PolicyResult p2 = r2.policies().getFirst();
        assertThat(p2.policy().policyDomain()).isEqualTo("example.com");
        assertThat(p2.policy().mxHost()).isEmpty();
        assertThat(p2.totalSuccessfulSessionCount()).isEqualTo(23);
        assertThat(p2.failureDetails()).singleElement().satisfies(f -> {
            assertThat(f.knownResultType()).contains(ResultType.CERTIFICATE_HOST_MISMATCH);
            assertThat(f.receivingMxHostname()).isEqualTo("demo.example.com");
        });

        TlsRptReport r3 = json("rpt03.json");
        assertThat(r3.policies()).hasSize(2);
        assertThat(r3.policies().get(0).policy().knownType()).contains(PolicyType.NO_POLICY_FOUND);
        // an unknown policy type is kept as received
        assertThat(r3.policies().get(1).policy().policyType()).isEqualTo("invalid-policy-type");
        assertThat(r3.policies().get(1).policy().knownType()).isEmpty();
        // no total-failure-session-count: 0
        assertThat(r3.policies().get(0).totalFailureSessionCount()).isZero();
        assertThat(r3.policies().get(0).totalSuccessfulSessionCount()).isEqualTo(1);
    }

    @Test
    void mailAttachmentsAreGzipAndPlainJson() throws IOException {
        try (InputStream in = Files.newInputStream(dir().resolve("rpt01.eml"))) {
            byte[] json = TlsRptReportMail.extractJson(in);
            assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).contains("\"organization-name\"");
        }
        try (InputStream in = Files.newInputStream(dir().resolve("rpt02.eml"))) {
            assertThat(TlsRptReportJson.parse(TlsRptReportMail.extractJson(in)).reportId()).isEqualTo("2020-01-01T00:00:00Z_example.com");
        }
    }
}
