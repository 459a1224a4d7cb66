package dev.sealpost.tlspolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.Policy;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

class TlsRptReportJsonTest {
    static final TlsRptReport REPORT = new TlsRptReport("Sealpost", Instant.parse("2026-01-02T00:00:00Z"),
            Instant.parse("2026-01-02T23:59:59Z"), "postmaster@sender.example", "2026-01-02T00:00:00Z_example.com",
            List.of(new PolicyResult(new Policy("sts", List.of("version: STSv1", "mode: enforce", "mx: mx.example.com", "max_age: 86400"),
                    "example.com", List.of("mx.example.com")), 10, 0, List.of())));

    @Test
    void writesRfcFieldNames() {
        String json = new String(TlsRptReportJson.write(REPORT), StandardCharsets.UTF_8);
        assertThat(json).contains("\"organization-name\" : \"Sealpost\"", "\"start-datetime\" : \"2026-01-02T00:00:00Z\"",
                "\"end-datetime\" : \"2026-01-02T23:59:59Z\"", "\"contact-info\"", "\"report-id\"", "\"policy-type\" : \"sts\"",
                "\"policy-string\"", "\"policy-domain\" : \"example.com\"", "\"mx-host\"", "\"total-successful-session-count\" : 10",
                "\"total-failure-session-count\" : 0");
        assertThat(json).doesNotContain("failure-details");
    }

    @Test
    void fileNamePerRfc8460Section53() {
        // 2026-01-02T00:00:00Z = 1767312000
        assertThat(TlsRptReportJson.fileName("sender.example", REPORT, null, true))
                .isEqualTo("sender.example!example.com!1767312000!1767398399.json.gz");
        assertThat(TlsRptReportJson.fileName("sender.example", REPORT, "abc123", false))
                .isEqualTo("sender.example!example.com!1767312000!1767398399!abc123.json");
        assertThatThrownBy(() -> TlsRptReportJson.fileName("s", REPORT, "a-b", true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gzipRoundTripAndBombLimit() throws IOException {
        byte[] gz = TlsRptReportJson.writeGzip(REPORT);
        assertThat(TlsRptReportJson.isGzip(gz)).isTrue();
        assertThat(TlsRptReportJson.parse(gz)).isEqualTo(REPORT);
        byte[] bomb = TlsRptReportJson.gzip(new byte[TlsRptReportJson.MAX_JSON_BYTES + 10]);
        assertThatThrownBy(() -> TlsRptReportJson.parse(bomb)).isInstanceOf(TlsRptReportJson.InvalidReportException.class)
                .hasMessageContaining("larger than");
        // a corrupt gzip stream is an invalid report, not an I/O failure (found by fuzzing)
        assertThatThrownBy(() -> TlsRptReportJson.parse(new byte[] {0x1f, (byte) 0x8b, 0x7d}))
                .isInstanceOf(TlsRptReportJson.InvalidReportException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "[]",
            "{}",
            "not json",
            "{\"date-range\":{\"start-datetime\":\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},\"policies\":[]}",
            "{\"report-id\":\"x\",\"policies\":[]}",
            "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"yesterday\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},\"policies\":[]}",
            "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"}}",
            "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},\"policies\":[{}]}",
            "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"summary\":{\"total-successful-session-count\":-1}}]}",
            "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"summary\":{\"total-successful-session-count\":1.5}}]}",
            "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"failure-details\":[{\"failed-session-count\":1}]}]}",
            "{\"report-id\":\"x\",\"report-id\":\"y\",\"date-range\":{\"start-datetime\":\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},\"policies\":[]}",
            "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},\"policies\":[]} {}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    })
    void invalidReportsAreRejectedWithAReason(String json) {
        assertThatThrownBy(() -> TlsRptReportJson.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TlsRptReportJson.InvalidReportException.class);
    }

    @Test
    void lenientForms() throws IOException {
        String json = "{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2026-01-01T01:00:00+01:00\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},"
                + "\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\",\"mx-host\":\"mx.example.com\"}}]}";
        TlsRptReport r = TlsRptReportJson.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r.startDatetime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(r.policies().getFirst().policy().mxHost()).containsExactly("mx.example.com");
        assertThat(r.organizationName()).isNull();
    }
}
