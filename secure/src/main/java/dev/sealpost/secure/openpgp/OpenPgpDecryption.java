package dev.sealpost.secure.openpgp;

import java.util.List;
import java.util.Objects;

/** The outcome of decrypting an OpenPGP message (RFC 9580 §10.3). */
public sealed interface OpenPgpDecryption {

    /**
     * The plaintext, the signatures found inside it, and how it was protected.
     *
     * @param aead                  SEIPD v2 (RFC 9580 §5.13.2) rather than v1
     * @param decryptionKeyFingerprint the subkey that opened it, upper-case hex ("" for an unencrypted message)
     */
    record Decrypted(byte[] plaintext, List<OpenPgpVerification> verifications, boolean encrypted, boolean aead,
                     String decryptionKeyFingerprint) implements OpenPgpDecryption {
        public Decrypted {
            Objects.requireNonNull(plaintext);
            verifications = List.copyOf(verifications);
        }

        /** The verifications that are Good. */
        public List<OpenPgpVerification.Good> good() {
            return verifications.stream().filter(v -> v instanceof OpenPgpVerification.Good)
                    .map(v -> (OpenPgpVerification.Good) v).toList();
        }
    }

    /** Decryption failed. */
    record Failed(Reason why, String detail) implements OpenPgpDecryption {}

    /** Why decryption failed. */
    enum Reason {
        /** None of the given keys can open any of the message's session key packets. */
        NO_DECRYPTION_KEY,
        /** Not an OpenPGP message, or broken packets. */
        BAD_DATA,
        /** The integrity check (MDC or AEAD tag) failed: the ciphertext was altered. */
        INTEGRITY,
        /** The plaintext is past the size limit. */
        TOO_LARGE
    }
}
