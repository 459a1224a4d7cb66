package dev.sealpost.tlspolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

class TlsRptReportMailTest {
    @Test
    void buildsTheRfc8460Section53StructureAndParsesBack() throws IOException {
        byte[] mail = TlsRptReportMail.build(TlsRptReportJsonTest.REPORT, "example.com", "sender.example",
                "tlsrpt@sender.example", List.of("tls-reports@example.com"), Instant.parse("2026-01-03T01:02:03Z"));
        String text = new String(mail, StandardCharsets.US_ASCII);
        assertThat(text).contains(
                "From: tlsrpt@sender.example\r\n",
                "To: tls-reports@example.com\r\n",
                "Date: Sat, 3 Jan 2026 01:02:03 +0000\r\n",
                "Subject: Report Domain: example.com\r\n Submitter: sender.example\r\n Report-ID: <2026-01-02T00:00:00Z_example.com@sender.example>\r\n",
                "TLS-Report-Domain: example.com\r\n",
                "TLS-Report-Submitter: sender.example\r\n",
                "MIME-Version: 1.0\r\n",
                "Content-Type: multipart/report; report-type=\"tlsrpt\";",
                "Content-Type: text/plain",
                "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n",
                "filename=\"sender.example!example.com!1767312000!1767398399.json.gz\"");
        // every line ends in CRLF and is at most 78 characters
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        for (String line : text.split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(998);
        TlsRptReportMail.ReceivedReport back = TlsRptReportMail.parse(new ByteArrayInputStream(mail));
        assertThat(back.report()).isEqualTo(TlsRptReportJsonTest.REPORT);
        assertThat(back.reportDomain()).isEqualTo("example.com");
        assertThat(back.submitter()).isEqualTo("sender.example");
    }

    @Test
    void refusesHeaderInjectionAndMailsWithoutAReport() {
        assertThatThrownBy(() -> TlsRptReportMail.build(TlsRptReportJsonTest.REPORT, "example.com\r\nBcc: x@y", "s.example",
                "a@s.example", List.of("b@example.com"), Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        byte[] plain = "From: a@b\r\nSubject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> TlsRptReportMail.parse(new ByteArrayInputStream(plain))).isInstanceOf(TlsRptReportJson.InvalidReportException.class);
    }
}
