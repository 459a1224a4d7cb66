package dev.sealpost.auth.bimi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dmarc.AuthIdentity;
import dev.sealpost.auth.dmarc.DmarcOutcome;
import dev.sealpost.auth.dmarc.DmarcRecord;
import dev.sealpost.auth.dmarc.DmarcResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

class BimiSelectorTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            v=BIMI1; s=brand            | brand
            v=BIMI1; s=Brand2024;       | brand2024
            v=BIMI1;s=a.b-c             | a.b-c
            ' v = BIMI1 ;\ts = x '      | x
            """)
    void valid(String value, String selector) {
        assertThat(BimiSelector.parse(value)).isEqualTo(new BimiSelector.Valid(selector));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            s=brand; v=BIMI1       | does not start with v=BIMI1
            v=BIMI2; s=brand       | does not start with v=BIMI1
            v=BIMI1                | no s= tag
            v=BIMI1; s=            | bad selector
            v=BIMI1; s=-x          | bad selector
            v=BIMI1; s=a..b        | bad selector
            v=BIMI1; s=a_b         | bad selector
            v=BIMI1; s=x/../y      | bad selector
            """)
    void invalid(String value, String reason) {
        assertThat(BimiSelector.parse(value)).isInstanceOfSatisfying(BimiSelector.Invalid.class, i -> assertThat(i.reason()).contains(reason));
    }

    @Test
    void longSelectorRefused() {
        assertThat(BimiSelector.parse("v=BIMI1; s=" + "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60)))
                .isInstanceOf(BimiSelector.Invalid.class);
        assertThat(BimiSelector.parse("v=BIMI1; s=" + "a".repeat(64))).isInstanceOf(BimiSelector.Invalid.class);
    }

    static final String SIG_B = "dGVzdHNpZ25hdHVyZQ==";

    static AuthMessage message(String selectorHeader, String signedHeaders) {
        String msg = "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=k1;\r\n\th=" + signedHeaders + "; bh=xx; b=dGVzdHNp\r\n Z25hdHVyZQ==\r\n"
                + (selectorHeader == null ? "" : "BIMI-Selector: " + selectorHeader + "\r\n")
                + "From: a@example.com\r\n\r\nbody\r\n";
        return AuthMessage.of(msg.getBytes(StandardCharsets.UTF_8));
    }

    static DmarcOutcome pass(String dkimDomain) {
        DmarcRecord r = ((DmarcRecord.Valid) DmarcRecord.parse("v=DMARC1; p=reject")).record();
        return new DmarcOutcome(DmarcResult.PASS, "example.com", "example.com", "example.com", r, null, DmarcRecord.Policy.NONE, false,
                false, true, List.of(AuthIdentity.dkim(dkimDomain, true)), false, "", Instant.EPOCH);
    }

    static List<DkimResult> dkim(DkimResult.Status status) {
        return List.of(new DkimResult(status, "example.com", "k1", "rsa-sha256", "", false, "@example.com", SIG_B, 2048));
    }

    @Test
    void forMessageUsesSignedSelector() {
        // §6.4: a BIMI-Selector covered by the aligned, passing DKIM signature is used
        assertThat(BimiSelector.forMessage(message("v=BIMI1; s=spring", "from:bimi-selector"), dkim(DkimResult.Status.PASS), pass("example.com")))
                .isEqualTo("spring");
    }

    @Test
    void forMessageIgnoresUnsignedOrUnalignedSelector() {
        // not in h=
        assertThat(BimiSelector.forMessage(message("v=BIMI1; s=spring", "from:subject"), dkim(DkimResult.Status.PASS), pass("example.com")))
                .isEqualTo("default");
        // the signature failed
        assertThat(BimiSelector.forMessage(message("v=BIMI1; s=spring", "from:bimi-selector"), dkim(DkimResult.Status.FAIL), pass("example.com")))
                .isEqualTo("default");
        // the signing domain is not the aligned one
        assertThat(BimiSelector.forMessage(message("v=BIMI1; s=spring", "from:bimi-selector"), dkim(DkimResult.Status.PASS), pass("other.example")))
                .isEqualTo("default");
        // malformed header, no header
        assertThat(BimiSelector.forMessage(message("v=BIMI1; s=", "from:bimi-selector"), dkim(DkimResult.Status.PASS), pass("example.com")))
                .isEqualTo("default");
        assertThat(BimiSelector.forMessage(message(null, "from"), dkim(DkimResult.Status.PASS), pass("example.com"))).isEqualTo("default");
    }
}
