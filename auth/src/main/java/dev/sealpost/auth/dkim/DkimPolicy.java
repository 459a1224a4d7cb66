package dev.sealpost.auth.dkim;

import java.time.Duration;
import java.util.Objects;

/**
 * What the verifier accepts.
 *
 * @param allowBodyLength accept signatures with {@code l=} (RFC 6376 §8.2 explains the risk: the
 *                        unsigned tail can be anything); when false they give POLICY
 * @param maxSignatures   how many DKIM-Signature fields to verify per message; the rest give POLICY
 * @param clockSkew       tolerance for {@code t=} in the future and {@code x=} in the past
 * @param minRsaBits      smallest RSA key accepted; at least 1024 (RFC 8301 §3.2)
 * @param tlsrpt          the message is a TLS-RPT report (RFC 8460 §3): keys with {@code s=tlsrpt} are usable
 */
public record DkimPolicy(boolean allowBodyLength, int maxSignatures, Duration clockSkew, int minRsaBits, boolean tlsrpt) {
    /** No {@code l=}, 10 signatures, 5 minutes of skew, 1024-bit RSA, not TLS-RPT. */
    public static final DkimPolicy DEFAULT = new DkimPolicy(false, 10, Duration.ofMinutes(5), 1024, false);

    public DkimPolicy {
        Objects.requireNonNull(clockSkew);
        if (maxSignatures < 1) throw new IllegalArgumentException("maxSignatures must be at least 1");
        if (clockSkew.isNegative()) throw new IllegalArgumentException("clockSkew must not be negative");
        // RFC 8301 §3.2: verifiers MUST NOT consider signatures using RSA keys of less than 1024 bits as valid
        if (minRsaBits < 1024) throw new IllegalArgumentException("minRsaBits must be at least 1024 (RFC 8301 §3.2)");
    }

    public DkimPolicy withAllowBodyLength(boolean allow) {
        return new DkimPolicy(allow, maxSignatures, clockSkew, minRsaBits, tlsrpt);
    }

    public DkimPolicy withMaxSignatures(int max) {
        return new DkimPolicy(allowBodyLength, max, clockSkew, minRsaBits, tlsrpt);
    }

    public DkimPolicy withClockSkew(Duration skew) {
        return new DkimPolicy(allowBodyLength, maxSignatures, skew, minRsaBits, tlsrpt);
    }

    public DkimPolicy withMinRsaBits(int bits) {
        return new DkimPolicy(allowBodyLength, maxSignatures, clockSkew, bits, tlsrpt);
    }

    public DkimPolicy withTlsrpt(boolean isTlsrpt) {
        return new DkimPolicy(allowBodyLength, maxSignatures, clockSkew, minRsaBits, isTlsrpt);
    }
}
