package dev.sealpost.auth.dmarc;

import dev.sealpost.auth.dmarc.DmarcRecord.Alignment;
import dev.sealpost.auth.dmarc.DmarcRecord.FailureOption;
import dev.sealpost.auth.dmarc.DmarcRecord.Policy;
import dev.sealpost.auth.dmarc.DmarcRecord.ReportUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DmarcRecordTest {
    static DmarcRecord valid(String txt) {
        DmarcRecord.Parsed p = DmarcRecord.parse(txt);
        assertThat(p).as(txt).isInstanceOf(DmarcRecord.Valid.class);
        return ((DmarcRecord.Valid) p).record();
    }

    @Test
    void fullRecord() {
        DmarcRecord r = valid("v=DMARC1; p=reject; sp=quarantine; np=reject; pct=50; adkim=s; aspf=s; "
                + "rua=mailto:agg@example.com!10m, mailto:agg2@example.net; ruf=mailto:ruf@example.com!512k; "
                + "fo=1:d:s; rf=afrf; ri=3600;");
        assertThat(r.policy()).isEqualTo(Policy.REJECT);
        assertThat(r.subdomainPolicy()).isEqualTo(Policy.QUARANTINE);
        assertThat(r.nonExistentPolicy()).isEqualTo(Policy.REJECT);
        assertThat(r.percent()).isEqualTo(50);
        assertThat(r.dkimAlignment()).isEqualTo(Alignment.STRICT);
        assertThat(r.spfAlignment()).isEqualTo(Alignment.STRICT);
        assertThat(r.aggregateReportUris()).containsExactly(
                new ReportUri("mailto:agg@example.com", 10L * 1024 * 1024), new ReportUri("mailto:agg2@example.net", -1));
        assertThat(r.failureReportUris()).containsExactly(new ReportUri("mailto:ruf@example.com", 512L * 1024));
        assertThat(r.failureOptions()).containsExactlyInAnyOrder(FailureOption.ANY_FAIL, FailureOption.DKIM, FailureOption.SPF);
        assertThat(r.reportFormats()).containsExactly("afrf");
        assertThat(r.reportInterval()).isEqualTo(3600);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.aggregateReportUris().getFirst().mailbox()).contains("agg@example.com");
        assertThat(r.aggregateReportUris().getFirst().domain()).contains("example.com");
        // canonical text parses back to the same record
        assertThat(valid(r.toText())).isEqualTo(r);
    }

    @Test
    void defaults() {
        DmarcRecord r = valid("v=DMARC1; p=none");
        assertThat(r.policy()).isEqualTo(Policy.NONE);
        assertThat(r.subdomainPolicy()).isNull();
        assertThat(r.effectiveSubdomainPolicy()).isEqualTo(Policy.NONE);
        assertThat(r.effectiveNonExistentPolicy()).isEqualTo(Policy.NONE);
        assertThat(r.percent()).isEqualTo(100);
        assertThat(r.dkimAlignment()).isEqualTo(Alignment.RELAXED);
        assertThat(r.spfAlignment()).isEqualTo(Alignment.RELAXED);
        assertThat(r.failureOptions()).containsExactly(FailureOption.ALL_FAIL);
        assertThat(r.reportFormats()).containsExactly("afrf");
        assertThat(r.reportInterval()).isEqualTo(86400);
        assertThat(r.toText()).isEqualTo("v=DMARC1; p=none");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            v=DMARC1;p=reject                                  | REJECT     | REJECT
            v = DMARC1 ; p = Quarantine ; sp=NONE               | QUARANTINE | NONE
            V=DMARC1; P=reject; SP=quarantine                  | REJECT     | QUARANTINE
            v=DMARC1; p=reject; unknown=tag; x_y=z;             | REJECT     | REJECT
            v=DMARC1;\tp=none;;                                | NONE       | NONE
            v=DMARC1; sp=reject; p=quarantine                  | QUARANTINE | REJECT
            """)
    void syntaxVariants(String txt, Policy p, Policy sp) {
        DmarcRecord r = valid(txt);
        assertThat(r.policy()).isEqualTo(p);
        assertThat(r.effectiveSubdomainPolicy()).isEqualTo(sp);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "p=reject; v=DMARC1",          // v must come first
            "v=DMARC2; p=reject",
            "v=dmarc1; p=reject",          // the version value is case-sensitive (RFC 7489 §6.4 %x)
            "v=DMARC1 p=reject",
            "v=DMARC1; p=reject; p=none",   // duplicate tag
            "v=DMARC1; p",                  // tag without '='
            "v=DMARC1; 1p=reject",          // bad tag name
            "v=DMARC1; p=re\u0001ject",     // control character
            "v=spf1 -all",
    })
    void invalid(String txt) {
        assertThat(DmarcRecord.parse(txt)).as(txt).isInstanceOf(DmarcRecord.Invalid.class);
        assertThat(DmarcRecord.parse(null)).isInstanceOf(DmarcRecord.Invalid.class);
    }

    @Test
    void tooLongIsInvalid() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=none; x=" + "a".repeat(DmarcRecord.MAX_LENGTH)))
                .isInstanceOf(DmarcRecord.Invalid.class);
    }

    @Test
    void badOptionalValuesTakeDefaultsWithWarnings() {
        DmarcRecord r = valid("v=DMARC1; p=reject; pct=150; adkim=x; aspf=; fo=9; ri=-1; rf=;");
        assertThat(r.percent()).isEqualTo(100);
        assertThat(r.dkimAlignment()).isEqualTo(Alignment.RELAXED);
        assertThat(r.spfAlignment()).isEqualTo(Alignment.RELAXED);
        assertThat(r.failureOptions()).containsExactly(FailureOption.ALL_FAIL);
        assertThat(r.reportInterval()).isEqualTo(86400);
        assertThat(r.reportFormats()).containsExactly("afrf");
        assertThat(r.warnings()).hasSize(7); // fo=9 gives two: the unknown option and the default
    }

    @Test
    void reportUris() {
        DmarcRecord r = valid("v=DMARC1; p=none; rua=mailto:a@example.com!1g,bogus,mailto:b@example.com!x, https://r.example/x!5, mailto:c%40x@example.org");
        assertThat(r.aggregateReportUris()).containsExactly(
                new ReportUri("mailto:a@example.com", 1L << 30),
                new ReportUri("https://r.example/x", 5),
                new ReportUri("mailto:c%40x@example.org", -1));
        assertThat(r.aggregateReportUris().get(1).mailbox()).isEmpty();
        assertThat(r.aggregateReportUris().get(2).mailbox()).contains("c@x@example.org");
        assertThat(r.aggregateReportUris().get(2).domain()).contains("example.org");
        assertThat(r.warnings()).hasSize(2);
        // bounded: at most MAX_URIS kept
        String many = String.join(",", java.util.stream.IntStream.range(0, 30).mapToObj(i -> "mailto:r" + i + "@example.com").toList());
        assertThat(valid("v=DMARC1; p=none; rua=" + many).aggregateReportUris()).hasSize(DmarcRecord.MAX_URIS);
    }

    @Test
    void policyDiscoverySubstitution() {
        // RFC 7489 §6.6.3: no valid p but a valid rua: act as p=none
        DmarcRecord noP = valid("v=DMARC1; rua=mailto:d@example.com");
        assertThat(noP.policy()).isNull();
        assertThat(noP.forPolicyDiscovery()).hasValueSatisfying(r -> {
            assertThat(r.policy()).isEqualTo(Policy.NONE);
            assertThat(r.aggregateReportUris()).hasSize(1);
        });
        assertThat(valid("v=DMARC1; p=bogus; rua=mailto:d@example.com").forPolicyDiscovery()).map(DmarcRecord::policy).contains(Policy.NONE);
        assertThat(valid("v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com").forPolicyDiscovery()).map(DmarcRecord::policy).contains(Policy.NONE);
        // without rua: no DMARC processing
        assertThat(valid("v=DMARC1").forPolicyDiscovery()).isEmpty();
        assertThat(valid("v=DMARC1; p=reject; sp=bogus").forPolicyDiscovery()).isEmpty();
        assertThat(valid("v=DMARC1; p=bogus; rua=bogus").forPolicyDiscovery()).isEmpty();
        assertThat(valid("v=DMARC1; p=reject").forPolicyDiscovery()).isPresent();
    }

    @Test
    void isDmarcRecord() {
        assertThat(DmarcRecord.isDmarcRecord("v=DMARC1")).isTrue();
        assertThat(DmarcRecord.isDmarcRecord(" v = DMARC1 ;p=none")).isTrue();
        assertThat(DmarcRecord.isDmarcRecord("v=DMARC10; p=none")).isFalse();
        assertThat(DmarcRecord.isDmarcRecord("v=spf1")).isFalse();
        assertThat(DmarcRecord.isDmarcRecord(null)).isFalse();
    }

    @Test
    void policyWeakening() {
        assertThat(Policy.REJECT.weaker()).isEqualTo(Policy.QUARANTINE);
        assertThat(Policy.QUARANTINE.weaker()).isEqualTo(Policy.NONE);
        assertThat(Set.of(Policy.NONE.weaker())).isEqualTo(Set.of(Policy.NONE));
        assertThat(List.of(Policy.values())).hasSize(3);
    }
}
