package dev.sealpost.tlspolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.tlspolicy.tlsrpt.TlsRptRecord.ReportUri;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptRecord.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

class TlsRptRecordTest {
    static TlsRptRecord valid(String txt) {
        TlsRptRecord.Parsed p = TlsRptRecord.parse(txt);
        assertThat(p).as(txt).isInstanceOf(TlsRptRecord.Valid.class);
        return ((TlsRptRecord.Valid) p).record();
    }

    @Test
    void rfcExamples() {
        // RFC 8460 §3.1 examples
        TlsRptRecord mail = valid("v=TLSRPTv1; rua=mailto:reports@example.com");
        assertThat(mail.rua()).containsExactly(new ReportUri(Scheme.MAILTO, "mailto:reports@example.com"));
        assertThat(mail.rua().getFirst().mailbox()).contains("reports@example.com");
        TlsRptRecord https = valid("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt");
        assertThat(https.rua()).containsExactly(new ReportUri(Scheme.HTTPS, "https://reporting.example.com/v1/tlsrpt"));
        assertThat(https.rua().getFirst().mailbox()).isEmpty();
        TlsRptRecord both = valid("v=TLSRPTv1; rua=mailto:tlsrpt@mail.example.com, https://tlsrpt.example.com/upload ;");
        assertThat(both.rua()).extracting(ReportUri::scheme).containsExactly(Scheme.MAILTO, Scheme.HTTPS);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "v=TLSRPTv1;rua=mailto:a@example.com|1",
            "'v=TLSRPTv1 ;\trua=mailto:a@example.com;'|1",
            "v=TLSRPTv1; ext=1; rua=mailto:a@example.com,mailto:b@example.com|2",
            "v=TLSRPTv1; rua=mailto:a%2Cb@example.com|1",
            // invalid
            "v=TLSRPTv1|0",
            "v=TLSRPTv1;|0",
            "v=TLSRPTv1 rua=mailto:a@example.com|0",
            "v=TLSRPTv2; rua=mailto:a@example.com|0",
            "v=tlsrptv1; rua=mailto:a@example.com|0",
            "v=TLSRPTv1; ext=1|0",
            "v=TLSRPTv1; rua=|0",
            "v=TLSRPTv1; rua=ftp://example.com/x|0",
            "v=TLSRPTv1; rua=mailto:|0",
            "v=TLSRPTv1; rua=mailto:nobody|0",
            "v=TLSRPTv1; rua=https:///path|0",
            "v=TLSRPTv1; rua=mailto:a@example.com,|0",
            "v=TLSRPTv1; rua=mailto:a!b@example.com|0",
            "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com|0",
            "v=TLSRPTv1; rua=mailto:a@example.com;; x=y|0",
            "v=TLSRPTv1; rua=mailto:a@example.com; x=a b|0",
    })
    void parse(String txt, int uris) {
        TlsRptRecord.Parsed p = TlsRptRecord.parse(txt);
        if (uris == 0) {
            assertThat(p).isInstanceOf(TlsRptRecord.Invalid.class);
        } else {
            assertThat(p).isInstanceOf(TlsRptRecord.Valid.class);
            assertThat(((TlsRptRecord.Valid) p).record().rua()).hasSize(uris);
        }
    }

    @Test
    void percentEncodedMailbox() {
        assertThat(valid("v=TLSRPTv1; rua=mailto:a%2Cb@example.com").rua().getFirst().mailbox()).contains("a,b@example.com");
        assertThat(valid("v=TLSRPTv1; rua=mailto:a+tag@example.com?subject=x").rua().getFirst().mailbox()).contains("a+tag@example.com");
    }

    @Test
    void selectAndCanonicalText() {
        assertThat(TlsRptRecord.select(List.of("v=spf1 -all", "v=TLSRPTv1; rua=mailto:a@example.com"))).isPresent();
        // RFC 8460 §3: not exactly one record -> not participating
        assertThat(TlsRptRecord.select(List.of("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"))).isEmpty();
        assertThat(TlsRptRecord.select(List.of("v=TLSRPTv1; rua=gopher://x"))).isEmpty();
        assertThat(TlsRptRecord.select(List.of())).isEmpty();
        TlsRptRecord r = valid("v=TLSRPTv1;rua=mailto:a@example.com,https://r.example/x;ext=v");
        assertThat(r.toText()).isEqualTo("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example/x; ext=v");
        assertThat(valid(r.toText())).isEqualTo(r);
        assertThat(TlsRptRecord.lookupName("example.com")).isEqualTo("_smtp._tls.example.com");
    }
}
