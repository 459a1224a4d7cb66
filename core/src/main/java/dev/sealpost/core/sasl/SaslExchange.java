package dev.sealpost.core.sasl;

/** One SASL authentication exchange; not thread-safe; used by one session. */
public interface SaslExchange {
    /**
     * Feeds the client's next response (already base64-decoded). The first call carries the
     * initial response, or an empty array when the client sent none.
     */
    SaslStep evaluate(byte[] clientResponse);

    /**
     * The authentication identity the client has claimed so far, as sent (not checked), or null
     * before it named one. For the log line of an exchange that ends without a result
     * (cancelled, cut off, connection closed).
     */
    default String claimedUser() {
        return null;
    }

    /** Results of one step, as values. */
    sealed interface SaslStep {
        /** Send this challenge to the client (the protocol base64-encodes it). */
        record Challenge(byte[] data) implements SaslStep {}
        /** Authenticated as {@code user}; {@code finalData} (may be empty) is sent with the success reply where the protocol allows. */
        record Success(String user, byte[] finalData) implements SaslStep {}
        /**
         * Authentication failed.
         *
         * @param malformed distinguishes a syntax error (501) from bad credentials (535)
         * @param reason    for the log; never shown to the client, never holds a password
         * @param user      the authentication identity the client claimed, as sent (not
         *                  normalised, not checked to exist), or null when the exchange failed
         *                  before the client named one; login throttling counts failures per
         *                  claimed user with it
         */
        record Failure(boolean malformed, String reason, String user) implements SaslStep {
            /** A failure with no known user. */
            public Failure(boolean malformed, String reason) {
                this(malformed, reason, null);
            }
        }
    }
}
