package dev.sealpost.core.sasl;

/**
 * A server-side SASL mechanism (RFC 4422). One instance serves many exchanges; each
 * authentication attempt gets a fresh {@link SaslExchange}.
 */
public interface SaslMechanism {
    /** The IANA mechanism name, e.g. {@code PLAIN}, {@code SCRAM-SHA-256-PLUS}. */
    String name();

    /**
     * True when the mechanism reveals the password to anyone who reads the exchange (PLAIN,
     * LOGIN). Not "may be used before TLS": that is decided for every mechanism alike by
     * {@link dev.sealpost.core.login.LoginPolicy#mayAuthenticate}.
     */
    boolean revealsPassword();

    /**
     * True when the mechanism is listed in the protocol's capabilities (EHLO AUTH, IMAP AUTH=,
     * POP3 SASL). A mechanism that is not advertised is still accepted when a client asks for it
     * by name on a connection where it can work (see {@link SaslMechanisms#standard(CredentialLookup, boolean)}).
     */
    default boolean advertised() {
        return true;
    }

    /** True when the mechanism needs TLS channel binding data (the -PLUS variants). */
    boolean needsChannelBinding();

    /**
     * Starts one exchange.
     *
     * @param binding the connection's TLS channel binding, or {@code null} on a cleartext connection
     */
    SaslExchange start(ChannelBinding binding);
}
