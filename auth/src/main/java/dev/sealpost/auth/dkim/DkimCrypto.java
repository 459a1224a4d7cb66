package dev.sealpost.auth.dkim;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public-key operations of DKIM and ARC, on the fastest implementation at hand (ADR 0003):
 * Ed25519 with Bouncy Castle's lightweight Ed25519 (pure Java, about 20 times the JDK's
 * {@code Ed25519} signature), RSA with the Amazon Corretto Crypto Provider (AWS-LC, native) when
 * its library loads on this platform, else the JDK's {@code SHA256withRSA}. All produce the same
 * bytes: RSASSA-PKCS1-v1_5 and Ed25519 signatures are deterministic (RFC 8017 §8.2, RFC 8032 §5.1.6).
 *
 * <p>Prepared private keys (the Ed25519 expanded key, the provider's RSA key) are cached per key
 * object, a few dozen at most: a server signs with one or two keys per domain.
 */
final class DkimCrypto {
    private static final Logger LOG = LoggerFactory.getLogger(DkimCrypto.class);
    private static final int MAX_CACHED_KEYS = 256;
    /** The native provider, or null when it cannot load here (another OS or CPU, no glibc...). */
    private static final Provider NATIVE = loadNative();

    private static final Map<Key, Object> PREPARED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
            return size() > MAX_CACHED_KEYS;
        }
    };

    private DkimCrypto() {}

    private static Provider loadNative() {
        if (Boolean.getBoolean("sealpost.crypto.jdkOnly")) return null;
        try {
            AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
            p.assertHealthy();
            return p;
        } catch (Throwable e) { // a missing or incompatible native library: the JDK does the work
            LOG.info("native crypto provider unavailable, DKIM RSA uses the JDK: {}", e.toString());
            return null;
        }
    }

    /** Whether RSA runs on the native provider (for logs and benchmarks). */
    static boolean nativeRsa() {
        return NATIVE != null;
    }

    /** RSASSA-PKCS1-v1_5 with SHA-256 over {@code data} (RFC 6376 §3.3.1), or Ed25519 over {@code digest} (RFC 8463 §3). */
    static byte[] sign(DkimAlgorithm alg, PrivateKey key, byte[] data) throws GeneralSecurityException {
        if (alg == DkimAlgorithm.ED25519_SHA256) {
            Ed25519PrivateKeyParameters p = (Ed25519PrivateKeyParameters) prepared(key);
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, p);
            s.update(data, 0, data.length);
            return s.generateSignature();
        }
        Signature s;
        PrivateKey k = key;
        if (NATIVE != null && alg == DkimAlgorithm.RSA_SHA256) {
            s = Signature.getInstance("SHA256withRSA", NATIVE);
            k = (PrivateKey) prepared(key);
        } else {
            s = Signature.getInstance(jdkName(alg));
        }
        s.initSign(k);
        s.update(data);
        return s.sign();
    }

    /** Verifies as {@link #sign} signs; false for a malformed signature or unusable key. */
    static boolean verify(DkimAlgorithm alg, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        if (alg == DkimAlgorithm.ED25519_SHA256) {
            // RFC 8032 §5.1.7; Bouncy Castle rejects non-canonical encodings and small-order points
            if (signature.length != 64) return false;
            Ed25519Signer s = new Ed25519Signer();
            s.init(false, new Ed25519PublicKeyParameters(DkimKeys.ed25519Raw(key), 0));
            s.update(data, 0, data.length);
            return s.verifySignature(signature);
        }
        Signature s = Signature.getInstance(jdkName(alg));
        s.initVerify(key);
        s.update(data);
        return s.verify(signature);
    }

    private static String jdkName(DkimAlgorithm alg) {
        return switch (alg) {
            case RSA_SHA256 -> "SHA256withRSA";
            case RSA_SHA1 -> "SHA1withRSA";
            case ED25519_SHA256 -> "Ed25519";
        };
    }

    private static Object prepared(PrivateKey key) throws GeneralSecurityException {
        synchronized (PREPARED) {
            Object p = PREPARED.get(key);
            if (p != null) return p;
        }
        Object p;
        if (key instanceof EdECPrivateKey ed) {
            // RFC 8032 §5.1.5: the private key is the 32-byte seed
            byte[] seed = ed.getBytes().orElseThrow(() -> new GeneralSecurityException("Ed25519 key without its seed"));
            p = new Ed25519PrivateKeyParameters(seed, 0);
        } else {
            p = KeyFactory.getInstance("RSA", NATIVE).translateKey(key);
        }
        synchronized (PREPARED) {
            PREPARED.put(key, p);
        }
        return p;
    }
}
