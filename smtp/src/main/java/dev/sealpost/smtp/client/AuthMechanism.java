package dev.sealpost.smtp.client;

/** The SASL mechanisms the client can use towards a smarthost (RFC 4954). */
public enum AuthMechanism {
    /** RFC 4616; only over TLS unless allowed. */
    PLAIN("PLAIN"),
    /** draft-murchison-sasl-login; only over TLS unless allowed. */
    LOGIN("LOGIN"),
    /** RFC 5802, RFC 7677: the password never crosses the wire and the server proves it knows it. */
    SCRAM_SHA_256("SCRAM-SHA-256");

    private final String saslName;

    AuthMechanism(String saslName) {
        this.saslName = saslName;
    }

    /** The name used in EHLO and AUTH. */
    public String saslName() {
        return saslName;
    }
}
