package dev.sealpost.smtp.client;

/**
 * What a STARTTLS must achieve for the connection to go on (decided by the caller's policy:
 * opportunistic by default, DANE (RFC 7672) or MTA-STS (RFC 8461) when they apply).
 */
public enum TlsRequirement {
    /**
     * RFC 7435 opportunistic TLS: any certificate the given socket factory's trust manager takes
     * (usually: any). The PKIX result is recorded in {@link TlsOutcome}, never enforced.
     */
    OPPORTUNISTIC,
    /**
     * The given socket factory's trust manager authenticates the server (for example a DANE
     * TLSA trust manager, RFC 7672 §3): a handshake it accepts counts as authenticated. PKIX is
     * recorded, not enforced.
     */
    TRUST_MANAGER,
    /**
     * The certificate must validate against {@link ClientSettings#pkixTrust()} and match the
     * peer name (RFC 6125 §6, as MTA-STS asks, RFC 8461 §4.2), or the connection is closed.
     */
    PKIX
}
