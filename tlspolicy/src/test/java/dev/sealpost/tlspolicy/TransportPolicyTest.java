package dev.sealpost.tlspolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.tlspolicy.dane.DaneLookup;
import dev.sealpost.tlspolicy.mtasts.ActivePolicy;
import dev.sealpost.tlspolicy.mtasts.MtaStsPolicy;
import dev.sealpost.tlspolicy.mtasts.MtaStsPolicy.Mode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class TransportPolicyTest {
    static Optional<ActivePolicy> sts(Mode mode) {
        MtaStsPolicy p = new MtaStsPolicy(mode, mode == Mode.NONE ? List.of() : List.of("*.example.com"), 86400, Map.of());
        return Optional.of(new ActivePolicy("example.com", "1", p, Instant.EPOCH, Instant.EPOCH.plusSeconds(86400)));
    }

    static final DaneLookup NONE = new DaneLookup.None("no TLSA");
    static final TlsaRecord RR = new TlsaRecord(3, 1, 1, new byte[32]);

    @Test
    void daneTakesPrecedenceOverMtaSts() {
        assertThat(TransportPolicy.decide(new DaneLookup.Usable(List.of(RR)), sts(Mode.ENFORCE), "mx.example.com"))
                .isEqualTo(new TransportPolicy.Dane(List.of(RR)));
        // even for an MX the STS policy would not list
        assertThat(TransportPolicy.decide(new DaneLookup.Usable(List.of(RR)), sts(Mode.ENFORCE), "mx.elsewhere.example"))
                .isInstanceOf(TransportPolicy.Dane.class);
        assertThat(TransportPolicy.decide(new DaneLookup.UnusableOnly(List.of()), sts(Mode.ENFORCE), "mx.example.com"))
                .isInstanceOf(TransportPolicy.DaneTlsOnly.class);
        TransportPolicy defer = TransportPolicy.decide(new DaneLookup.TempFail("SERVFAIL"), Optional.empty(), "mx.example.com");
        assertThat(defer).isInstanceOf(TransportPolicy.Defer.class);
        assertThat(defer.requiresTls()).isTrue();
    }

    @Test
    void mtaStsModes() {
        TransportPolicy enforce = TransportPolicy.decide(NONE, sts(Mode.ENFORCE), "mx.example.com");
        assertThat(enforce).isInstanceOf(TransportPolicy.MtaSts.class);
        assertThat(enforce.requiresTls()).isTrue();
        assertThat(TransportPolicy.decide(NONE, sts(Mode.ENFORCE), "mx.evil.example")).isInstanceOf(TransportPolicy.Skip.class);
        TransportPolicy testing = TransportPolicy.decide(NONE, sts(Mode.TESTING), "mx.evil.example");
        assertThat(testing).isInstanceOf(TransportPolicy.MtaSts.class);
        assertThat(testing.requiresTls()).isFalse();
        assertThat(((TransportPolicy.MtaSts) testing).testing()).isTrue();
        assertThat(TransportPolicy.decide(NONE, sts(Mode.NONE), "mx.example.com")).isInstanceOf(TransportPolicy.Opportunistic.class);
        assertThat(TransportPolicy.decide(NONE, Optional.empty(), "mx.example.com").requiresTls()).isFalse();
    }
}
