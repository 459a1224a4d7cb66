package dev.sealpost.core.sasl;

/** One SASL authentication exchange; not thread-safe; used by one session. */
public interface SaslExchange {
    /**
     * Feeds the client's next response (already base64-decoded). The first call carries the
     * initial response, or an empty array when the client sent none.
     */
    SaslStep evaluate(byte[] clientResponse);

    /** Results of one step, as values. */
    sealed interface SaslStep {
        /** Send this challenge to the client (the protocol base64-encodes it). */
        record Challenge(byte[] data) implements SaslStep {}
        /** Authenticated as {@code user}; {@code finalData} (may be empty) is sent with the success reply where the protocol allows. */
        record Success(String user, byte[] finalData) implements SaslStep {}
        /** Authentication failed. {@code malformed} distinguishes a syntax error (501) from bad credentials (535). */
        record Failure(boolean malformed, String reason) implements SaslStep {}
    }
}
