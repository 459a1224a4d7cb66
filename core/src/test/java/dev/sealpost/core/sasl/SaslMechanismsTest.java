package dev.sealpost.core.sasl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SaslMechanismsTest {
    private final List<SaslMechanism> all = SaslMechanisms.standard(new TestAccounts());
    private final ChannelBinding binding = new ChannelBinding("tls-exporter", new byte[32]);

    @Test
    void standardOrderIsBestFirst() {
        assertThat(all).extracting(SaslMechanism::name)
                .containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN", "LOGIN");
    }

    @Test
    void perConnectionSelection() {
        assertThat(SaslMechanisms.forConnection(all, true, binding, false)).extracting(SaslMechanism::name)
                .containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN", "LOGIN");
        assertThat(SaslMechanisms.forConnection(all, true, null, false)).extracting(SaslMechanism::name)
                .containsExactly("SCRAM-SHA-256", "PLAIN", "LOGIN");
        // before TLS nothing at all, SCRAM included: one rule for every mechanism (RFC 8314 §3)
        assertThat(SaslMechanisms.forConnection(all, false, null, false)).isEmpty();
        assertThat(SaslMechanisms.forConnection(all, false, null, true)).extracting(SaslMechanism::name)
                .containsExactly("SCRAM-SHA-256", "PLAIN", "LOGIN");
    }

    @Test
    void plusIsAcceptedButNotAdvertisedWhenSoConfigured() {
        List<SaslMechanism> quiet = SaslMechanisms.standard(new TestAccounts(), false);
        assertThat(SaslMechanisms.advertised(quiet, true, binding, false)).extracting(SaslMechanism::name)
                .containsExactly("SCRAM-SHA-256", "PLAIN", "LOGIN");
        assertThat(SaslMechanisms.forConnection(quiet, true, binding, false)).extracting(SaslMechanism::name)
                .containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN", "LOGIN");
        assertThat(SaslMechanisms.advertised(all, true, binding, false)).extracting(SaslMechanism::name)
                .containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN", "LOGIN");
        assertThat(SaslMechanisms.advertised(quiet, false, null, false)).isEmpty();
    }

    @Test
    void findIsCaseInsensitive() {
        assertThat(SaslMechanisms.find(all, "scram-sha-256-plus")).map(SaslMechanism::name).contains("SCRAM-SHA-256-PLUS");
        assertThat(SaslMechanisms.find(all, "CRAM-MD5")).isEmpty();
    }
}
