package dev.sealpost.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * DKIM key handling with the JDK alone: public keys from DNS records (RSA as
 * SubjectPublicKeyInfo or bare RSAPublicKey, Ed25519 as the raw 32-byte point of RFC 8463 §4.2),
 * private keys from files (PEM PKCS#8, PEM PKCS#1 "RSA PRIVATE KEY", bare base64 of either, and
 * the raw 32-byte Ed25519 seed that dkimpy's {@code dknewkey} writes), key generation and the key
 * record text to publish.
 */
public final class DkimKeys {
    private DkimKeys() {}

    /** The largest RSA modulus we take from DNS (a bound on verification work). */
    public static final int MAX_RSA_BITS = 8192;

    // RFC 8032 §5.1: p = 2^255 - 19
    private static final BigInteger ED25519_P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    // AlgorithmIdentifier rsaEncryption (RFC 8017 Appendix C) with NULL parameters
    private static final byte[] RSA_ALG_ID = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    // RFC 8410 §7: PKCS#8 wrapper of a 32-byte Ed25519 private key (the seed)
    private static final byte[] ED25519_PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    /**
     * A decoded public key, or the reason it could not be decoded.
     *
     * @param key   the key, null on error
     * @param bits  key size in bits
     * @param error why not, null on success
     */
    public record Decoded(PublicKey key, int bits, String error) {
        static Decoded error(String why) {
            return new Decoded(null, 0, why);
        }
    }

    /** Decodes an RSA public key from a key record's {@code p=} bytes: SubjectPublicKeyInfo, or a bare PKCS#1 RSAPublicKey. */
    public static Decoded rsaPublicKey(byte[] der) {
        PublicKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            // leniency: some records (and dkimpy's *.pub.rsa.txt) publish the bare RSAPublicKey (RFC 8017 A.1.1)
            try {
                Der d = new Der(der);
                Der seq = d.sequence();
                if (!d.atEnd()) return Decoded.error("trailing bytes after the key");
                BigInteger n = seq.integer();
                BigInteger e2 = seq.integer();
                if (!seq.atEnd()) return Decoded.error("not an RSA public key");
                key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e2));
            } catch (GeneralSecurityException | RuntimeException e3) {
                return Decoded.error("not an RSA public key");
            }
        }
        BigInteger modulus = ((RSAKey) key).getModulus();
        if (modulus.signum() <= 0) return Decoded.error("not an RSA public key");
        int bits = modulus.bitLength();
        if (bits > MAX_RSA_BITS) return Decoded.error("RSA key larger than " + MAX_RSA_BITS + " bits");
        return new Decoded(key, bits, null);
    }

    /** Decodes an Ed25519 public key from the raw 32 bytes of RFC 8463 §4.2 (RFC 8032 §5.1.2 encoding). */
    public static Decoded ed25519PublicKey(byte[] raw) {
        if (raw.length != 32) return Decoded.error("Ed25519 key is not 32 bytes");
        // RFC 8032 §5.1.3: little-endian y; the top bit of the last byte is the parity of x
        byte[] le = raw.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) be[i] = le[31 - i];
        BigInteger y = new BigInteger(1, be);
        if (y.compareTo(ED25519_P) >= 0) return Decoded.error("Ed25519 point out of range");
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y)));
            return new Decoded(key, 256, null);
        } catch (GeneralSecurityException | RuntimeException e) {
            return Decoded.error("Ed25519 key not decodable");
        }
    }

    /** The raw 32-byte encoding of an Ed25519 public key (RFC 8032 §5.1.2). */
    public static byte[] ed25519Raw(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    /**
     * Reads a private key: PEM ({@code PRIVATE KEY} = PKCS#8, RSA or Ed25519;
     * {@code RSA PRIVATE KEY} = PKCS#1), or bare base64 of PKCS#8, PKCS#1, or a 32-byte Ed25519 seed.
     *
     * @throws IllegalArgumentException when the text is none of these (a configuration fault)
     */
    public static PrivateKey readPrivateKey(String text) {
        String t = text.strip();
        if (t.contains("-----BEGIN")) {
            if (t.contains("ENCRYPTED")) throw new IllegalArgumentException("encrypted private keys are not supported");
            int start = t.indexOf("-----BEGIN ");
            int typeEnd = t.indexOf("-----", start + 11);
            if (typeEnd < 0) throw new IllegalArgumentException("malformed PEM");
            String type = t.substring(start + 11, typeEnd);
            int bodyStart = typeEnd + 5;
            int end = t.indexOf("-----END", bodyStart);
            if (end < 0) throw new IllegalArgumentException("PEM without END line");
            byte[] der = mimeBase64(t.substring(bodyStart, end));
            return switch (type) {
                case "RSA PRIVATE KEY" -> pkcs8(pkcs1ToPkcs8(der), "RSA");
                case "PRIVATE KEY" -> pkcs8Any(der);
                default -> throw new IllegalArgumentException("unsupported PEM type " + type);
            };
        }
        byte[] der = mimeBase64(t);
        if (der.length == 32) return ed25519FromSeed(der);
        try {
            return pkcs8Any(der);
        } catch (IllegalArgumentException e) {
            return pkcs8(pkcs1ToPkcs8(der), "RSA");
        }
    }

    /** An Ed25519 private key from its 32-byte seed (RFC 8032 §5.1.5). */
    public static PrivateKey ed25519FromSeed(byte[] seed) {
        if (seed.length != 32) throw new IllegalArgumentException("Ed25519 seed is not 32 bytes");
        byte[] der = new byte[ED25519_PKCS8_PREFIX.length + 32];
        System.arraycopy(ED25519_PKCS8_PREFIX, 0, der, 0, ED25519_PKCS8_PREFIX.length);
        System.arraycopy(seed, 0, der, ED25519_PKCS8_PREFIX.length, 32);
        return pkcs8(der, "Ed25519");
    }

    private static PrivateKey pkcs8Any(byte[] der) {
        try {
            return pkcs8(der, "RSA");
        } catch (IllegalArgumentException e) {
            return pkcs8(der, "Ed25519");
        }
    }

    private static PrivateKey pkcs8(byte[] der, String alg) {
        try {
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + alg + " private key: " + e.getMessage());
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey (RFC 8017 A.1.2) into PKCS#8 PrivateKeyInfo (RFC 5208 §5). */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {2, 1, 0}); // version 0
        inner.writeBytes(RSA_ALG_ID);
        inner.write(0x04); // OCTET STRING
        inner.writeBytes(derLength(pkcs1.length));
        inner.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(inner.size()));
        out.writeBytes(inner.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int len) {
        if (len < 0x80) return new byte[] {(byte) len};
        if (len < 0x100) return new byte[] {(byte) 0x81, (byte) len};
        if (len < 0x10000) return new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
        return new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
    }

    private static byte[] mimeBase64(String s) {
        try {
            return Base64.getMimeDecoder().decode(s.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not base64");
        }
    }

    /** The public half of a private key (RSA CRT or Ed25519). */
    public static PublicKey publicKey(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof EdECPrivateKey ed) {
                byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("Ed25519 key without seed"));
                return ed25519Pair(seed).getPublic();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
    }

    /** The key-record text to publish at {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.1). */
    public static String keyRecord(PublicKey key) {
        if (key instanceof EdECPublicKey) {
            return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(ed25519Raw(key));
        }
        if (key instanceof RSAKey) return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
        throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
    }

    /** A new RSA key pair; RFC 8301 §3.2: at least 1024 bits, 2048 recommended. */
    public static KeyPair generateRsa(int bits) {
        if (bits < 1024) throw new IllegalArgumentException("RSA keys under 1024 bits are not allowed (RFC 8301 §3.2)");
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new Ed25519 key pair (RFC 8463). */
    public static KeyPair generateEd25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Ed25519 key pair of a seed: the JDK generator draws exactly the 32 seed bytes from its random source. */
    private static KeyPair ed25519Pair(byte[] seed) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != seed.length) throw new IllegalStateException("unexpected draw of " + bytes.length);
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        KeyPair pair = g.generateKeyPair();
        byte[] check = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        if (!Arrays.equals(check, seed)) throw new IllegalStateException("Ed25519 seed not reproduced");
        return pair;
    }

    /** A minimal DER reader (SEQUENCE and INTEGER), bounded by the input. */
    private static final class Der {
        private final byte[] b;
        private int pos;
        private final int end;

        Der(byte[] b) {
            this(b, 0, b.length);
        }

        Der(byte[] b, int start, int end) {
            this.b = b;
            this.pos = start;
            this.end = end;
        }

        boolean atEnd() {
            return pos == end;
        }

        private int header(int tag) {
            if (pos >= end || (b[pos] & 0xff) != tag) throw new IllegalArgumentException("unexpected DER tag");
            pos++;
            if (pos >= end) throw new IllegalArgumentException("truncated DER");
            int first = b[pos++] & 0xff;
            int len;
            if (first < 0x80) {
                len = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 3) throw new IllegalArgumentException("bad DER length");
                len = 0;
                for (int i = 0; i < count; i++) {
                    if (pos >= end) throw new IllegalArgumentException("truncated DER");
                    len = (len << 8) | (b[pos++] & 0xff);
                }
            }
            if (len > end - pos) throw new IllegalArgumentException("truncated DER");
            return len;
        }

        Der sequence() {
            int len = header(0x30);
            Der d = new Der(b, pos, pos + len);
            pos += len;
            return d;
        }

        BigInteger integer() {
            int len = header(0x02);
            if (len == 0) throw new IllegalArgumentException("empty INTEGER");
            BigInteger v = new BigInteger(Arrays.copyOfRange(b, pos, pos + len));
            pos += len;
            return v;
        }
    }
}
