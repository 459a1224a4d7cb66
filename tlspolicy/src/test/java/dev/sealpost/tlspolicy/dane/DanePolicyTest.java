package dev.sealpost.tlspolicy.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.dns.ZoneResolver;
import org.junit.jupiter.api.Test;

import java.util.List;

class DanePolicyTest {
    static final byte[] SHA256 = new byte[32];
    static final byte[] SHA512 = new byte[64];

    static TlsaRecord rr(int u, int s, int m, byte[] d) {
        return new TlsaRecord(u, s, m, d);
    }

    @Test
    void tlsaName() {
        assertThat(DanePolicy.tlsaName("MX.Example.com.")).isEqualTo("_25._tcp.mx.example.com");
        assertThat(DanePolicy.tlsaName("mx.example.com", 465)).isEqualTo("_465._tcp.mx.example.com");
        assertThatThrownBy(() -> DanePolicy.tlsaName("bad..name")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void classifyOnlyTrustsAuthenticAnswers() {
        TlsaRecord ee = rr(3, 1, 1, SHA256);
        // secure and usable
        assertThat(DanePolicy.classify(DnsAnswer.of(List.of(ee), true))).isEqualTo(new DaneLookup.Usable(List.of(ee)));
        // insecure: DANE does not apply, whatever the records say
        assertThat(DanePolicy.classify(DnsAnswer.of(List.of(ee), false))).isInstanceOf(DaneLookup.None.class);
        // secure denial of existence
        assertThat(DanePolicy.classify(DnsAnswer.noData(true))).isInstanceOf(DaneLookup.None.class);
        assertThat(DanePolicy.classify(DnsAnswer.nxdomain(true))).isInstanceOf(DaneLookup.None.class);
        // bogus (SERVFAIL) or timeout: defer
        assertThat(DanePolicy.classify(DnsAnswer.failure(DnsAnswer.Status.SERVFAIL))).isInstanceOf(DaneLookup.TempFail.class);
        assertThat(DanePolicy.classify(DnsAnswer.failure(DnsAnswer.Status.TIMEOUT))).isInstanceOf(DaneLookup.TempFail.class);
    }

    @Test
    void unusableOnlyStillRequiresTls() {
        List<TlsaRecord> rrs = List.of(rr(0, 0, 1, SHA256), rr(1, 1, 1, SHA256), rr(3, 1, 1, new byte[20]), rr(3, 2, 1, SHA256),
                rr(3, 1, 3, SHA256), rr(4, 1, 1, SHA256), rr(2, 0, 0, new byte[0]));
        DaneLookup l = DanePolicy.classify(DnsAnswer.of(rrs, true));
        assertThat(l).isInstanceOf(DaneLookup.UnusableOnly.class);
        assertThat(l.requiresTls()).isTrue();
        assertThat(l.authenticates()).isFalse();
        assertThat(new DaneLookup.None("x").requiresTls()).isFalse();
        assertThat(new DaneLookup.Usable(List.of(rr(3, 1, 1, SHA256))).authenticates()).isTrue();
    }

    @Test
    void digestAgilityPrefersSha512PerUsageAndSelector() {
        TlsaRecord ee256 = rr(3, 1, 1, SHA256), ee512 = rr(3, 1, 2, SHA512), eeFull = rr(3, 1, 0, new byte[91]);
        TlsaRecord ta256 = rr(2, 0, 1, SHA256);
        DaneLookup l = DanePolicy.classify(DnsAnswer.of(List.of(ee256, ee512, eeFull, ta256), true));
        assertThat(((DaneLookup.Usable) l).records()).containsExactly(ee512, eeFull, ta256);
    }

    @Test
    void lookupChecksMxAndAddressSecurityFirst() {
        byte[] data = new byte[32];
        ZoneResolver secure = ZoneResolver.builder().authentic(true)
                .a("mx.example.com", "192.0.2.1")
                .tlsa("_25._tcp.mx.example.com", 3, 1, 1, data)
                .a("mx.nodane.example", "192.0.2.2")
                .a("mx.unusable.example", "192.0.2.3")
                .tlsa("_25._tcp.mx.unusable.example", 1, 1, 1, data)
                .servfail("_25._tcp.mx.bogus.example")
                .a("mx.bogus.example", "192.0.2.4")
                .build();
        DanePolicy dane = new DanePolicy(secure);
        assertThat(dane.lookup("mx.example.com", true)).isEqualTo(new DaneLookup.Usable(List.of(rr(3, 1, 1, data))));
        assertThat(dane.lookup("mx.example.com", false)).isInstanceOf(DaneLookup.None.class);
        assertThat(dane.lookup("mx.nodane.example", true)).isInstanceOf(DaneLookup.None.class);
        assertThat(dane.lookup("mx.unusable.example", true)).isInstanceOf(DaneLookup.UnusableOnly.class);
        assertThat(dane.lookup("mx.bogus.example", true)).isInstanceOf(DaneLookup.TempFail.class);
        assertThat(dane.lookupTlsa("mx.example.com")).isInstanceOf(DaneLookup.Usable.class);

        ZoneResolver insecure = ZoneResolver.builder().authentic(false)
                .a("mx.example.com", "192.0.2.1")
                .tlsa("_25._tcp.mx.example.com", 3, 1, 1, data)
                .timeout("mx.slow.example")
                .build();
        // RFC 7672 §2.2.2: insecure address records: DANE does not apply
        assertThat(new DanePolicy(insecure).lookup("mx.example.com", true)).isInstanceOf(DaneLookup.None.class);
        assertThat(new DanePolicy(insecure).lookup("mx.slow.example", true)).isInstanceOf(DaneLookup.TempFail.class);
    }
}
