package dev.sealpost.auth.spf;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** check_host() behaviour beyond the openspf suite: identities, time budget, resolver trouble, limits. */
class SpfVerifierTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    static final InetAddress CLIENT = IpAddresses.parse("192.0.2.10");

    static SuiteResolver zone(String yaml) throws Exception {
        return SuiteResolver.fromYaml(new YAMLMapper().readTree(yaml));
    }

    static SpfVerifier verifier(Resolver r) {
        return new SpfVerifier(r, CLOCK, SpfSettings.defaults().withMaxDuration(Duration.ofSeconds(5)));
    }

    static final String ZONE = """
            example.com:
              - TXT: "v=spf1 ip4:192.0.2.0/28 a:mail.example.com -all exp=why.example.com"
            why.example.com:
              - TXT: "%{c} may not send for %{d} (%{s}, helo %{h}, at %{t} seen by %{r})"
            mail.example.com:
              - TXT: "v=spf1 a -all"
              - A: 198.51.100.7
            soft.example.org:
              - TXT: "v=spf1 ~all"
            """;

    @Test
    void mailFromPassNamesTheMechanism() throws Exception {
        SpfOutcome o = verifier(zone(ZONE)).checkMailFrom(CLIENT, "alice@example.com", "mail.example.com");
        assertThat(o).isEqualTo(new SpfOutcome(SpfResult.PASS, "mailfrom", "example.com", "matched ip4:192.0.2.0/28 of example.com", "ip4:192.0.2.0/28"));
    }

    @Test
    void failCarriesTheExpandedExplanation() throws Exception {
        SpfVerifier v = new SpfVerifier(zone(ZONE), CLOCK, SpfSettings.defaults().withReceiver("mx.sealpost.test"));
        SpfOutcome o = v.checkMailFrom(IpAddresses.parse("203.0.113.5"), "<alice@Example.com>", "client.example.net");
        assertThat(o.result()).isEqualTo(SpfResult.FAIL);
        assertThat(o.identity()).isEqualTo("mailfrom");
        assertThat(o.mechanism()).isEqualTo("-all");
        assertThat(o.explanation()).isEqualTo("203.0.113.5 may not send for Example.com (alice@Example.com, helo client.example.net, at 1714564800 seen by mx.sealpost.test)");
    }

    @Test
    void defaultExplanationWhenNoExp() throws Exception {
        SpfOutcome o = verifier(zone(ZONE)).checkHelo(IpAddresses.parse("2001:db8::1"), "mail.example.com");
        assertThat(o.result()).isEqualTo(SpfResult.FAIL);
        assertThat(o.identity()).isEqualTo("helo");
        assertThat(o.explanation()).isEqualTo("2001:db8::1 is not one of mail.example.com's designated mail servers");
    }

    @Test
    void heloIdentity() throws Exception {
        SpfVerifier v = verifier(zone(ZONE));
        assertThat(v.checkHelo(IpAddresses.parse("198.51.100.7"), "mail.example.com").result()).isEqualTo(SpfResult.PASS);
        // RFC 7208 §4.3: an address literal or a single label is no domain: none
        assertThat(v.checkHelo(CLIENT, "[192.0.2.10]").result()).isEqualTo(SpfResult.NONE);
        assertThat(v.checkHelo(CLIENT, "localhost").result()).isEqualTo(SpfResult.NONE);
        assertThat(v.checkHelo(CLIENT, "").result()).isEqualTo(SpfResult.NONE);
        assertThat(v.checkHelo(CLIENT, "nothing.example.net").result()).isEqualTo(SpfResult.NONE);
    }

    @Test
    void nullReversePathChecksPostmasterAtHelo() throws Exception {
        SpfVerifier v = verifier(zone(ZONE));
        SpfOutcome o = v.checkMailFrom(IpAddresses.parse("198.51.100.7"), "", "mail.example.com");
        assertThat(o.result()).isEqualTo(SpfResult.PASS);
        assertThat(o.identity()).isEqualTo("mailfrom");
        assertThat(o.domain()).isEqualTo("mail.example.com");
        assertThat(v.checkMailFrom(CLIENT, "<>", "soft.example.org").result()).isEqualTo(SpfResult.SOFTFAIL);
    }

    @Test
    void ipv4MappedClientIsIpv4() throws Exception {
        InetAddress mapped = java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 10}, -1);
        assertThat(verifier(zone(ZONE)).checkMailFrom(mapped, "a@example.com", "h.example.com").result()).isEqualTo(SpfResult.PASS);
    }

    @Test
    void idnSenderDomainIsQueriedAsALabel() throws Exception {
        SpfVerifier v = verifier(zone("""
                xn--bcher-kva.example:
                  - TXT: "v=spf1 +all"
                """));
        assertThat(v.checkMailFrom(CLIENT, "leser@bücher.example", "h.example.com").result()).isEqualTo(SpfResult.PASS);
    }

    /** A resolver that never answers within the budget. */
    static class Stalling implements Resolver {
        private <T> DnsAnswer<T> stall() {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DnsAnswer.failure(DnsAnswer.Status.TIMEOUT);
        }
        @Override public DnsAnswer<String> txt(String name) { return stall(); }
        @Override public DnsAnswer<InetAddress> a(String name) { return stall(); }
        @Override public DnsAnswer<InetAddress> aaaa(String name) { return stall(); }
        @Override public DnsAnswer<MxRecord> mx(String name) { return stall(); }
        @Override public DnsAnswer<String> ptr(InetAddress ip) { return stall(); }
        @Override public DnsAnswer<TlsaRecord> tlsa(String name) { return stall(); }
    }

    @Test
    void timeBudgetGivesTemperrorQuickly() {
        SpfVerifier v = new SpfVerifier(new Stalling(), CLOCK, SpfSettings.defaults().withMaxDuration(Duration.ofMillis(200)));
        long t0 = System.nanoTime();
        SpfOutcome o = v.checkMailFrom(CLIENT, "a@example.com", "h.example.com");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(o.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(o.explanation()).contains("time budget");
        assertThat(ms).isLessThan(2_000);
    }

    @Test
    void unreachableResolverGivesTemperror() {
        Resolver down = new Stalling() {
            @Override public DnsAnswer<String> txt(String name) { return DnsAnswer.failure(DnsAnswer.Status.TIMEOUT); }
        };
        SpfOutcome o = verifier(down).checkMailFrom(CLIENT, "a@example.com", "h.example.com");
        assertThat(o.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(o.explanation()).contains("TIMEOUT");
    }

    @Test
    void throwingResolverIsATemporaryFailure() {
        Resolver broken = new Stalling() {
            @Override public DnsAnswer<String> txt(String name) { throw new IllegalStateException("boom"); }
        };
        assertThat(verifier(broken).checkMailFrom(CLIENT, "a@example.com", "h").result()).isEqualTo(SpfResult.TEMPERROR);
    }

    @Test
    void bugsInTheEvaluationAreNotSwallowed() {
        assertThatThrownBy(() -> verifier(new Stalling()).checkMailFrom(null, "a@example.com", "h")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void lookupLimitCountsAcrossIncludesAndIsConfigurableOnlyWithinBounds() throws Exception {
        SuiteResolver z = zone("""
                example.com:
                  - TXT: "v=spf1 include:i1.example.com include:i2.example.com -all"
                i1.example.com:
                  - TXT: "v=spf1 a a a a"
                  - A: 203.0.113.1
                i2.example.com:
                  - TXT: "v=spf1 a a a ip4:192.0.2.10"
                  - A: 203.0.113.1
                """);
        // 2 includes + 4 + 3 a = 9 terms: within the limit
        assertThat(verifier(z).checkMailFrom(CLIENT, "a@example.com", "h").result()).isEqualTo(SpfResult.PASS);
        SpfVerifier strict = new SpfVerifier(z, CLOCK, new SpfSettings(Duration.ofSeconds(5), 8, 2, "x", "unknown"));
        SpfOutcome o = strict.checkMailFrom(CLIENT, "a@example.com", "h");
        assertThat(o.result()).isEqualTo(SpfResult.PERMERROR);
        assertThat(o.explanation()).contains("more than 8 DNS-querying terms");
        assertThatThrownBy(() -> new SpfSettings(Duration.ZERO, 10, 2, "x", "unknown")).hasMessageContaining("spf.max-duration");
        assertThatThrownBy(() -> new SpfSettings(Duration.ofSeconds(1), 10, 2, "bad %x", "unknown")).hasMessageContaining("spf.default-explanation");
    }

    @Test
    void mxNullRecordsAndCidr() throws Exception {
        SuiteResolver z = zone("""
                example.com:
                  - TXT: "v=spf1 mx/24 -all"
                  - MX: [10, mx1.example.com]
                  - MX: [20, "."]
                mx1.example.com:
                  - A: 192.0.2.200
                nullmx.example.com:
                  - TXT: "v=spf1 mx ?all"
                  - MX: [0, "."]
                """);
        assertThat(verifier(z).checkMailFrom(CLIENT, "a@example.com", "h").result()).isEqualTo(SpfResult.PASS);
        assertThat(verifier(z).checkMailFrom(CLIENT, "a@nullmx.example.com", "h").result()).isEqualTo(SpfResult.NEUTRAL);
    }
}
