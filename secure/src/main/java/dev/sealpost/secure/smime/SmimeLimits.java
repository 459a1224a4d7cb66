package dev.sealpost.secure.smime;

/**
 * Bounds on untrusted S/MIME input. Going past one is a {@link SmimeFailure} of its own name, never
 * an exception.
 *
 * @param maxMessageBytes  octets of a whole message (or of one CMS object given directly)
 * @param maxDepth         MIME nesting followed by the structure parser
 * @param maxSigners       SignerInfos in one SignedData ({@link SmimeFailure#TOO_MANY_SIGNERS})
 * @param maxCertificates  certificates carried in one SignedData ({@link SmimeFailure#TOO_MANY_CERTIFICATES})
 * @param maxRecipients    RecipientInfos in one (Auth)EnvelopedData ({@link SmimeFailure#TOO_MANY_RECIPIENTS})
 */
public record SmimeLimits(int maxMessageBytes, int maxDepth, int maxSigners, int maxCertificates, int maxRecipients) {
    public SmimeLimits {
        if (maxMessageBytes < 1 || maxDepth < 1 || maxSigners < 1 || maxCertificates < 1 || maxRecipients < 1) {
            throw new IllegalArgumentException("S/MIME limits must be positive: " + maxMessageBytes + ", " + maxDepth
                    + ", " + maxSigners + ", " + maxCertificates + ", " + maxRecipients);
        }
    }

    /** 64 MiB, depth 20, 8 signers, 50 certificates, 500 recipients. */
    public static SmimeLimits defaults() {
        return new SmimeLimits(64 * 1024 * 1024, 20, 8, 50, 500);
    }
}
