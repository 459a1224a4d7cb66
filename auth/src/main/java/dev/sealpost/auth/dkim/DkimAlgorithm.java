package dev.sealpost.auth.dkim;

import java.util.Optional;

/** DKIM signing algorithms (RFC 6376 §3.3, RFC 8463 §3). */
public enum DkimAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 6376 §3.3.2). */
    RSA_SHA256("rsa-sha256", "rsa", "sha256"),
    /** Ed25519 over the SHA-256 hash of the data (RFC 8463 §3). */
    ED25519_SHA256("ed25519-sha256", "ed25519", "sha256"),
    /** Parsed so that it can be named in results, never accepted (RFC 8301 §3.1). */
    RSA_SHA1("rsa-sha1", "rsa", "sha1");

    private final String tag;
    private final String keyType;
    private final String hash;

    DkimAlgorithm(String tag, String keyType, String hash) {
        this.tag = tag;
        this.keyType = keyType;
        this.hash = hash;
    }

    /** The {@code a=} value. */
    public String tag() {
        return tag;
    }

    /** The key record {@code k=} value this algorithm needs. */
    public String keyType() {
        return keyType;
    }

    /** The key record {@code h=} value naming the hash. */
    public String hash() {
        return hash;
    }

    /** The algorithm for an {@code a=} value (case-insensitive), if known. */
    public static Optional<DkimAlgorithm> fromTag(String tag) {
        for (DkimAlgorithm a : values()) if (a.tag.equalsIgnoreCase(tag)) return Optional.of(a);
        return Optional.empty();
    }
}
