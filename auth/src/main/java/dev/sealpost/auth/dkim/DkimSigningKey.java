package dev.sealpost.auth.dkim;

import dev.sealpost.core.mail.Domain;

import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A key to sign with: the signing domain ({@code d=}), selector ({@code s=}), private key and
 * algorithm. Checked on construction (a configuration fault): the key type matches the
 * algorithm, SHA-1 is refused (RFC 8301 §3.1) and RSA keys have at least 1024 bits (RFC 8301 §3.2).
 */
public final class DkimSigningKey {
    private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");

    private final String domain;
    private final String selector;
    private final PrivateKey privateKey;
    private final DkimAlgorithm algorithm;

    /**
     * @throws IllegalArgumentException when the domain, selector, key or algorithm is unusable
     */
    public DkimSigningKey(String domain, String selector, PrivateKey privateKey, DkimAlgorithm algorithm) {
        this(domain, selector, privateKey, algorithm, true);
    }

    private DkimSigningKey(String domain, String selector, PrivateKey privateKey, DkimAlgorithm algorithm, boolean check) {
        this.domain = Domain.toAscii(Objects.requireNonNull(domain)).orElseThrow(() -> new IllegalArgumentException("not a domain: " + domain));
        if (!SELECTOR.matcher(Objects.requireNonNull(selector)).matches()) throw new IllegalArgumentException("not a selector: " + selector);
        this.selector = selector;
        this.privateKey = Objects.requireNonNull(privateKey);
        this.algorithm = Objects.requireNonNull(algorithm);
        if (algorithm == DkimAlgorithm.RSA_SHA1) throw new IllegalArgumentException("rsa-sha1 must not be used (RFC 8301 §3.1)");
        if (algorithm == DkimAlgorithm.RSA_SHA256) {
            if (!(privateKey instanceof RSAPrivateKey rsa)) throw new IllegalArgumentException("rsa-sha256 needs an RSA key");
            if (check && rsa.getModulus().bitLength() < 1024) {
                throw new IllegalArgumentException("RSA keys under 1024 bits are not allowed (RFC 8301 §3.2)");
            }
        } else if (!(privateKey instanceof EdECPrivateKey)) {
            throw new IllegalArgumentException("ed25519-sha256 needs an Ed25519 key");
        }
    }

    /** The algorithm follows from the key type: RSA → rsa-sha256, Ed25519 → ed25519-sha256. */
    public static DkimSigningKey of(String domain, String selector, PrivateKey key) {
        DkimAlgorithm a = key instanceof EdECPrivateKey ? DkimAlgorithm.ED25519_SHA256 : DkimAlgorithm.RSA_SHA256;
        return new DkimSigningKey(domain, selector, key, a);
    }

    /** For tests only: no key-size check, to make signatures a verifier must reject. */
    static DkimSigningKey unchecked(String domain, String selector, PrivateKey key, DkimAlgorithm algorithm) {
        return new DkimSigningKey(domain, selector, key, algorithm, false);
    }

    public String domain() {
        return domain;
    }

    public String selector() {
        return selector;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public DkimAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String toString() {
        return "DkimSigningKey[" + selector + "._domainkey." + domain + ", " + algorithm.tag() + "]";
    }
}
