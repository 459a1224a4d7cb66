package dev.sealpost.core.sasl;

import java.util.List;

/** The mechanism set a protocol server offers, and which of them fit one connection. */
public final class SaslMechanisms {
    private SaslMechanisms() {}

    /** SCRAM-SHA-256-PLUS, SCRAM-SHA-256, PLAIN, LOGIN: best first. */
    public static List<SaslMechanism> standard(CredentialLookup lookup) {
        return List.of(
                new ScramSha256Mechanism(lookup, true),
                new ScramSha256Mechanism(lookup, false),
                new PlainMechanism(lookup),
                new LoginMechanism(lookup));
    }

    /**
     * The mechanisms to advertise on one connection: -PLUS only with channel binding data,
     * plaintext mechanisms only over TLS unless {@code allowPlaintextWithoutTls}
     * (RFC 4954 §4, RFC 8314 §3).
     *
     * @param binding the connection's channel binding, or null
     */
    public static List<SaslMechanism> forConnection(List<SaslMechanism> all, boolean tls, ChannelBinding binding,
                                                    boolean allowPlaintextWithoutTls) {
        return all.stream()
                .filter(m -> !m.needsChannelBinding() || binding != null)
                .filter(m -> !m.plaintext() || tls || allowPlaintextWithoutTls)
                .toList();
    }

    /** Finds a mechanism by its (case-insensitive, RFC 4422 §3.1) name. */
    public static java.util.Optional<SaslMechanism> find(List<SaslMechanism> offered, String name) {
        return offered.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }
}
