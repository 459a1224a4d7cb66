package dev.sealpost.core.sasl;

/**
 * A server-side SASL mechanism (RFC 4422). One instance serves many exchanges; each
 * authentication attempt gets a fresh {@link SaslExchange}.
 */
public interface SaslMechanism {
    /** The IANA mechanism name, e.g. {@code PLAIN}, {@code SCRAM-SHA-256-PLUS}. */
    String name();

    /** True when the mechanism sends the password itself (PLAIN, LOGIN): offer it only over TLS unless configured. */
    boolean plaintext();

    /** True when the mechanism needs TLS channel binding data (the -PLUS variants). */
    boolean needsChannelBinding();

    /**
     * Starts one exchange.
     *
     * @param binding the connection's TLS channel binding, or {@code null} on a cleartext connection
     */
    SaslExchange start(ChannelBinding binding);
}
