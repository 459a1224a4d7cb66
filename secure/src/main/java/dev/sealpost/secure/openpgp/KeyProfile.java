package dev.sealpost.secure.openpgp;

/** The kinds of OpenPGP key {@link OpenPgpKeys#generate} makes. */
public enum KeyProfile {
    /**
     * v4 (RFC 9580 §5.5.2.2): Ed25519 primary and signing subkey in the EdDSALegacy encoding
     * (algorithm 22, RFC 9580 §5.5.5.5) and a Curve25519 ECDH encryption subkey (algorithm 18, OID
     * Curve25519Legacy): the form that GnuPG 2.2, Sequoia 1.x and rnp read today. The default.
     */
    V4_CURVE25519("v4-curve25519"),
    /** v4 with one RSA-3072 key that certifies, signs and encrypts (RFC 9580 §5.5.5.1). */
    V4_RSA3072("v4-rsa3072"),
    /** v6 (RFC 9580 §5.5.2.3): Ed25519 (algorithm 27) primary and signing subkey, X25519 (algorithm 25) encryption subkey. */
    V6_CURVE25519("rfc9580");

    private final String sopName;

    KeyProfile(String sopName) {
        this.sopName = sopName;
    }

    /** The profile name {@code sop generate-key --profile} takes. */
    public String sopName() {
        return sopName;
    }
}
