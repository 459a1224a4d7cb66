package dev.sealpost.core.sasl;

import dev.sealpost.core.login.LoginPolicy;

import java.util.List;
import java.util.Optional;

/** The mechanism set a protocol server offers, and which of them fit one connection. */
public final class SaslMechanisms {
    private SaslMechanisms() {}

    /**
     * SCRAM-SHA-256-PLUS, SCRAM-SHA-256, PLAIN, LOGIN: best first, -PLUS advertised where
     * channel binding data exists. Tests and deployments that know their clients; the server
     * itself uses {@link #standard(CredentialLookup, boolean)} with its configured choice.
     */
    public static List<SaslMechanism> standard(CredentialLookup lookup) {
        return standard(lookup, true);
    }

    /**
     * The standard set.
     *
     * @param advertisePlus list SCRAM-SHA-256-PLUS in the capabilities. When false it is still
     *                      accepted from a client that asks for it by name, and a {@code y}
     *                      channel binding flag with SCRAM-SHA-256 is not taken for a downgrade
     *                      (RFC 5802 §6: the client saw no -PLUS, so "y" is its honest answer).
     *                      False by default in the server: GNU SASL 2.x clients (neomutt, mutt)
     *                      pick -PLUS when offered, then fail when their application supplies no
     *                      binding data, without trying the next mechanism.
     */
    public static List<SaslMechanism> standard(CredentialLookup lookup, boolean advertisePlus) {
        return List.of(
                new ScramSha256Mechanism(lookup, true, advertisePlus),
                new ScramSha256Mechanism(lookup, false, advertisePlus),
                new PlainMechanism(lookup),
                new LoginMechanism(lookup));
    }

    /**
     * The mechanisms a client may use on one connection: none at all before TLS unless the
     * operator allows authentication without TLS ({@link LoginPolicy#mayAuthenticate}: RFC 8314
     * §3, RFC 4954 §4, RFC 9051 §6.2.3, RFC 2595 §2.1), and -PLUS only with channel binding
     * data (RFC 5802 §6, RFC 9266).
     *
     * @param binding the connection's channel binding, or null
     */
    public static List<SaslMechanism> forConnection(List<SaslMechanism> all, boolean tls, ChannelBinding binding,
                                                    boolean allowAuthWithoutTls) {
        if (!LoginPolicy.mayAuthenticate(tls, allowAuthWithoutTls)) return List.of();
        return all.stream()
                .filter(m -> !m.needsChannelBinding() || binding != null)
                .toList();
    }

    /** The mechanisms to list in the capabilities: {@link #forConnection} minus those not {@link SaslMechanism#advertised()}. */
    public static List<SaslMechanism> advertised(List<SaslMechanism> all, boolean tls, ChannelBinding binding,
                                                 boolean allowAuthWithoutTls) {
        return forConnection(all, tls, binding, allowAuthWithoutTls).stream().filter(SaslMechanism::advertised).toList();
    }

    /** Finds a mechanism by its (case-insensitive, RFC 4422 §3.1) name. */
    public static Optional<SaslMechanism> find(List<SaslMechanism> offered, String name) {
        return offered.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }
}
