package dev.sealpost.auth.dmarc;

import dev.sealpost.auth.dmarc.DmarcRecord.Policy;
import dev.sealpost.dns.PublicSuffixList;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static dev.sealpost.auth.dmarc.AuthIdentity.dkim;
import static dev.sealpost.auth.dmarc.AuthIdentity.spf;
import static org.assertj.core.api.Assertions.assertThat;

class DmarcEvaluatorTest {
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final PublicSuffixList PSL = PublicSuffixList.bundled();

    final FakeResolver dns = new FakeResolver();

    DmarcEvaluator evaluator() {
        return new DmarcEvaluator(dns, PSL, CLOCK, new SplittableRandom(42));
    }

    DmarcOutcome eval(String from, AuthIdentity... ids) {
        return evaluator().evaluate(from, List.of(ids));
    }

    @Test
    void relaxedAlignmentPassesOnOrganizationalDomain() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DmarcOutcome o = eval("example.com", spf("bounce.mail.example.com", true));
        assertThat(o.result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.spfAligned()).isTrue();
        assertThat(o.dkimAligned()).isFalse();
        assertThat(o.appliedPolicy()).isEqualTo(Policy.NONE);
        assertThat(o.policyDomain()).isEqualTo("example.com");
        assertThat(o.evaluatedAt()).isEqualTo(NOW);
        assertThat(o.record().policy()).isEqualTo(Policy.REJECT);

        o = eval("news.example.com", dkim("EXAMPLE.com", true));
        assertThat(o.result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.dkimAligned()).isTrue();
        assertThat(o.alignedIdentities()).containsExactly(dkim("EXAMPLE.com", true));
        assertThat(o.policyDomain()).isEqualTo("example.com");
    }

    @Test
    void passingButUnalignedOrFailingAlignedIsFail() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DmarcOutcome o = eval("example.com", spf("example.net", true), dkim("example.com", false), dkim("example.com.evil.test", true));
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.requestedPolicy()).isEqualTo(Policy.REJECT);
        assertThat(o.appliedPolicy()).isEqualTo(Policy.REJECT);
        assertThat(o.sampledOut()).isFalse();
        // co.uk is a public suffix: example.co.uk and other.co.uk do not align
        dns.txt("_dmarc.example.co.uk", "v=DMARC1; p=quarantine");
        assertThat(eval("example.co.uk", dkim("other.co.uk", true)).result()).isEqualTo(DmarcResult.FAIL);
        assertThat(eval("mail.example.co.uk", dkim("example.co.uk", true)).result()).isEqualTo(DmarcResult.PASS);
    }

    @Test
    void strictAlignmentNeedsIdenticalDomains() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s; aspf=s");
        assertThat(eval("example.com", spf("bounce.example.com", true), dkim("sub.example.com", true)).result()).isEqualTo(DmarcResult.FAIL);
        DmarcOutcome o = eval("example.com", spf("Example.COM", true));
        assertThat(o.result()).isEqualTo(DmarcResult.PASS);
        assertThat(o.spfAligned()).isTrue();
        // strict DKIM, relaxed SPF
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject; adkim=s");
        assertThat(eval("example.org", dkim("mail.example.org", true)).result()).isEqualTo(DmarcResult.FAIL);
        assertThat(eval("example.org", spf("mail.example.org", true)).result()).isEqualTo(DmarcResult.PASS);
    }

    @Test
    void subdomainPolicyFromOrganizationalDomain() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine");
        dns.a("sub.example.com", "192.0.2.1");
        DmarcOutcome o = eval("sub.example.com");
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.policyDomain()).isEqualTo("example.com");
        assertThat(o.organizationalDomain()).isEqualTo("example.com");
        assertThat(o.requestedPolicy()).isEqualTo(Policy.QUARANTINE);
        assertThat(dns.queries).containsExactly("TXT _dmarc.sub.example.com", "TXT _dmarc.example.com");
        // the From domain's own record wins, and its p applies
        dns.txt("_dmarc.own.example.com", "v=DMARC1; p=none");
        o = eval("own.example.com");
        assertThat(o.policyDomain()).isEqualTo("own.example.com");
        assertThat(o.requestedPolicy()).isEqualTo(Policy.NONE);
        // p applies at the organizational domain itself
        assertThat(eval("example.com").requestedPolicy()).isEqualTo(Policy.REJECT);
        // no sp: p applies to subdomains
        dns.txt("_dmarc.example.net", "v=DMARC1; p=reject");
        assertThat(eval("a.b.example.net").requestedPolicy()).isEqualTo(Policy.REJECT);
    }

    @Test
    void nonExistentSubdomainGetsNp() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=none; sp=quarantine; np=reject");
        dns.a("exists.example.com", "192.0.2.1");
        DmarcOutcome o = eval("ghost.example.com");
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.fromDomainNonExistent()).isTrue();
        assertThat(o.requestedPolicy()).isEqualTo(Policy.REJECT);
        assertThat(dns.queries).contains("A ghost.example.com", "AAAA ghost.example.com", "MX ghost.example.com");

        o = eval("exists.example.com");
        assertThat(o.fromDomainNonExistent()).isFalse();
        assertThat(o.requestedPolicy()).isEqualTo(Policy.QUARANTINE);

        // a DNS failure on the existence check never escalates to np
        dns.fail("flaky.example.com");
        o = eval("flaky.example.com");
        // (discovery of _dmarc.flaky.example.com works; only the A/AAAA/MX look-ups fail)
        assertThat(o.requestedPolicy()).isEqualTo(Policy.QUARANTINE);
        assertThat(o.fromDomainNonExistent()).isFalse();

        // without np, sp applies to non-existent subdomains and nothing is looked up
        dns.txt("_dmarc.example.org", "v=DMARC1; p=none; sp=quarantine");
        dns.queries.clear();
        assertThat(eval("ghost.example.org").requestedPolicy()).isEqualTo(Policy.QUARANTINE);
        assertThat(dns.queries).containsExactly("TXT _dmarc.ghost.example.org", "TXT _dmarc.example.org");
    }

    @Test
    void pctSampling() {
        dns.txt("_dmarc.zero.example", "v=DMARC1; p=reject; pct=0");
        for (int i = 0; i < 20; i++) {
            DmarcOutcome o = eval("zero.example");
            assertThat(o.requestedPolicy()).isEqualTo(Policy.REJECT);
            assertThat(o.appliedPolicy()).isEqualTo(Policy.QUARANTINE); // RFC 7489 §6.6.4 next weaker policy
            assertThat(o.sampledOut()).isTrue();
        }
        dns.txt("_dmarc.half.example", "v=DMARC1; p=quarantine; pct=50");
        DmarcEvaluator e = new DmarcEvaluator(dns, PSL, CLOCK, new SplittableRandom(7));
        int quarantined = 0;
        for (int i = 0; i < 1000; i++) {
            DmarcOutcome o = e.evaluate("half.example", List.of());
            if (o.appliedPolicy() == Policy.QUARANTINE) quarantined++;
            else assertThat(o.appliedPolicy()).isEqualTo(Policy.NONE);
        }
        // the seeded generator gives a fixed count; the same count as drawing directly
        RandomGenerator same = new SplittableRandom(7);
        int expected = 0;
        for (int i = 0; i < 1000; i++) if (same.nextInt(100) < 50) expected++;
        assertThat(quarantined).isEqualTo(expected).isBetween(430, 570);
        // a pass is never sampled
        assertThat(eval("half.example", dkim("half.example", true)).appliedPolicy()).isEqualTo(Policy.NONE);
    }

    @Test
    void noRecordIsNone() {
        DmarcOutcome o = eval("mail.example.com", spf("mail.example.com", true));
        assertThat(o.result()).isEqualTo(DmarcResult.NONE);
        assertThat(o.policyDomain()).isNull();
        assertThat(o.appliedPolicy()).isEqualTo(Policy.NONE);
        assertThat(dns.queries).containsExactly("TXT _dmarc.mail.example.com", "TXT _dmarc.example.com");
        // non-DMARC TXT records at _dmarc are discarded
        dns.txt("_dmarc.example.net", "v=spf1 -all", "hello");
        assertThat(eval("example.net").result()).isEqualTo(DmarcResult.NONE);
    }

    @Test
    void temporaryDnsFailure() {
        dns.fail("_dmarc.example.com");
        assertThat(eval("example.com").result()).isEqualTo(DmarcResult.TEMPERROR);
        assertThat(eval("sub.example.com").result()).isEqualTo(DmarcResult.TEMPERROR);
        dns.fail("_dmarc.sub.example.org");
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject");
        assertThat(eval("sub.example.org").result()).isEqualTo(DmarcResult.TEMPERROR);
    }

    @Test
    void multipleRecordsMeanNoPolicy() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject", "v=DMARC1; p=none", "v=spf1 -all");
        DmarcOutcome o = eval("example.com");
        assertThat(o.result()).isEqualTo(DmarcResult.NONE);
        assertThat(o.appliedPolicy()).isEqualTo(Policy.NONE);
        // several at the From domain end discovery: the org domain is not consulted
        dns.txt("_dmarc.sub.example.net", "v=DMARC1; p=none", "v=DMARC1; p=none");
        dns.txt("_dmarc.example.net", "v=DMARC1; p=reject");
        assertThat(eval("sub.example.net").result()).isEqualTo(DmarcResult.NONE);
    }

    @Test
    void invalidRecords() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; p=none");
        DmarcOutcome o = eval("example.com");
        assertThat(o.result()).isEqualTo(DmarcResult.PERMERROR);
        assertThat(o.appliedPolicy()).isEqualTo(Policy.NONE);
        assertThat(o.policyDomain()).isEqualTo("example.com");
        // no p and no rua: no DMARC processing
        dns.txt("_dmarc.example.net", "v=DMARC1; sp=reject");
        assertThat(eval("example.net").result()).isEqualTo(DmarcResult.PERMERROR);
        // no p but a valid rua: evaluated as p=none
        dns.txt("_dmarc.example.org", "v=DMARC1; rua=mailto:d@example.org");
        o = eval("example.org");
        assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(o.appliedPolicy()).isEqualTo(Policy.NONE);
        assertThat(o.record().aggregateReportUris()).hasSize(1);
    }

    @Test
    void badFromDomain() {
        assertThat(eval("not a domain").result()).isEqualTo(DmarcResult.PERMERROR);
        assertThat(evaluator().evaluate(FromDomain.extract("a@example.com, b@example.net"), List.of()).result())
                .isEqualTo(DmarcResult.PERMERROR);
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        assertThat(evaluator().evaluate(FromDomain.extract("Joe <joe@example.com>"), List.of(dkim("example.com", true))).result())
                .isEqualTo(DmarcResult.PASS);
        assertThat(dns.queries).containsExactly("TXT _dmarc.example.com");
    }

    @Test
    void externalReportDestinationVerification() {
        DmarcEvaluator e = evaluator();
        // same organizational domain: no DNS check
        assertThat(e.mayReportTo("example.com", "reports.example.com")).isTrue();
        assertThat(dns.queries).isEmpty();
        // third party without authorization
        assertThat(e.mayReportTo("example.com", "thirdparty.example")).isFalse();
        assertThat(dns.queries).containsExactly("TXT example.com._report._dmarc.thirdparty.example");
        // authorized
        dns.txt("example.com._report._dmarc.thirdparty.example", "v=DMARC1");
        assertThat(e.mayReportTo("example.com", "thirdparty.example")).isTrue();
        // not v=DMARC1: discarded
        dns.txt("example.org._report._dmarc.thirdparty.example", "v=spf1");
        assertThat(e.mayReportTo("example.org", "thirdparty.example")).isFalse();
        // rua override (RFC 7489 §7.1 step 7)
        dns.txt("example.net._report._dmarc.thirdparty.example", "v=DMARC1; rua=mailto:other@thirdparty.example");
        DmarcEvaluator.DestinationCheck c = e.verifyReportDestination("example.net", "thirdparty.example");
        assertThat(c.status()).isEqualTo(DmarcEvaluator.DestinationCheck.Status.AUTHORIZED);
        assertThat(c.override().aggregateReportUris()).extracting(DmarcRecord.ReportUri::uri).containsExactly("mailto:other@thirdparty.example");
        // DNS failure: not now
        dns.fail("example.info._report._dmarc.thirdparty.example");
        assertThat(e.verifyReportDestination("example.info", "thirdparty.example").status())
                .isEqualTo(DmarcEvaluator.DestinationCheck.Status.TEMPERROR);
        assertThat(e.mayReportTo("example.info", "thirdparty.example")).isFalse();
    }
}
