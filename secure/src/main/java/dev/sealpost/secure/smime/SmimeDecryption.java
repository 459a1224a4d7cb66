package dev.sealpost.secure.smime;

import java.util.Objects;

/** The outcome of decrypting an S/MIME message with one private key. */
public sealed interface SmimeDecryption {

    /**
     * The decrypted MIME entity (header fields and body, as the sender encrypted it).
     *
     * @param content       the plaintext octets
     * @param algorithm     content-encryption algorithm, e.g. {@code AES-256-GCM}
     * @param authenticated true for AuthEnvelopedData (RFC 5083): the plaintext is integrity-protected;
     *                      false for EnvelopedData (CBC), which anyone could have altered
     */
    record Decrypted(byte[] content, String algorithm, boolean authenticated) implements SmimeDecryption {
        public Decrypted {
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(algorithm, "algorithm");
        }
    }

    /** Encrypted, but to other recipients: no RecipientInfo names our certificate. */
    record NotForUs() implements SmimeDecryption {}

    /** Not decryptable (or not encrypted at all: {@link SmimeFailure#NOT_ENCRYPTED}). */
    record Fail(SmimeFailure failure, String detail) implements SmimeDecryption {
        public Fail {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
