package dev.sealpost.secure.openpgp;

import java.time.Instant;
import java.util.Objects;

/** The outcome of checking one OpenPGP signature over a document (RFC 9580 §5.2). */
public sealed interface OpenPgpVerification {

    /**
     * A signature that verifies, made by a signing-capable key of a certificate we were given,
     * valid at its creation time.
     *
     * @param signingKeyFingerprint the (sub)key that made it, upper-case hex
     * @param primaryFingerprint    its certificate's primary key, upper-case hex
     * @param created               the signature creation time subpacket (RFC 9580 §5.2.3.11)
     * @param textMode              signature type 0x01 (canonical text) rather than 0x00 (binary)
     */
    record Good(String signingKeyFingerprint, String primaryFingerprint, Instant created, boolean textMode)
            implements OpenPgpVerification {
        public Good {
            Objects.requireNonNull(signingKeyFingerprint);
            Objects.requireNonNull(primaryFingerprint);
            Objects.requireNonNull(created);
        }
    }

    /**
     * A signature that does not verify or cannot be checked.
     *
     * @param issuer the key id or fingerprint it names (hex), or "" when it names none
     * @param reason why, in words
     */
    record Bad(String issuer, Reason why, String reason) implements OpenPgpVerification {}

    /** Why a signature failed. */
    enum Reason {
        /** No certificate we were given holds the issuing key. */
        UNKNOWN_SIGNER,
        /** The cryptographic check failed: the data or the signature was altered. */
        BAD_SIGNATURE,
        /** The key was not valid (expired, revoked, not signing-capable) when the signature was made, or policy refused the algorithm. */
        KEY_INVALID,
        /** The signature packet could not be parsed. */
        MALFORMED
    }
}
