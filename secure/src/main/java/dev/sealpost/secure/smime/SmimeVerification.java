package dev.sealpost.secure.smime;

import dev.sealpost.secure.smime.internal.Crypto;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of verifying an S/MIME signature, in the result vocabulary of the
 * Authentication-Results {@code smime} method (RFC 7281 §3): {@code pass}, {@code policy},
 * {@code fail}, {@code none}.
 */
public sealed interface SmimeVerification {

    /** The RFC 7281 result keyword. */
    String result();

    /** A valid signature from a signer whose certificate chains to a trust anchor and names the sender. */
    record Pass(X509Certificate signer, List<X509Certificate> chain) implements SmimeVerification {
        public Pass {
            Objects.requireNonNull(signer, "signer");
            chain = List.copyOf(chain);
        }

        /** The signer's mail addresses (RFC 8550 §3), lower case. */
        public List<String> addresses() {
            return Crypto.emailAddresses(signer);
        }

        @Override
        public String result() {
            return "pass";
        }
    }

    /**
     * A cryptographically valid signature that local policy does not accept: the signer's chain
     * does not reach a trust anchor, a certificate is expired, its key usage forbids signing, or
     * it does not name the From address (RFC 8550 §3).
     */
    record Policy(X509Certificate signer, String reason) implements SmimeVerification {
        public Policy {
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(reason, "reason");
        }

        public List<String> addresses() {
            return Crypto.emailAddresses(signer);
        }

        @Override
        public String result() {
            return "policy";
        }
    }

    /** A broken or unusable signature. */
    record Fail(SmimeFailure failure, String detail) implements SmimeVerification {
        public Fail {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String result() {
            return "fail";
        }
    }

    /** The message carries no S/MIME signature (or a SignedData with no signers, such as certs-only). */
    record None() implements SmimeVerification {
        @Override
        public String result() {
            return "none";
        }
    }

    /** Pass over Policy over Fail over None: the best of several signers' results decides a message (RFC 5652 §5.1 allows several). */
    static int rank(SmimeVerification v) {
        return switch (v) {
            case Pass p -> 3;
            case Policy p -> 2;
            case Fail f -> 1;
            case None n -> 0;
        };
    }
}
