package dev.sealpost.evidence.sign;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A named Ed25519 signing key (the JDK's EdDSA): signs and verifies, and names itself in the
 * C2SP signed-note forms. The name is the note key name (for the log, its origin).
 */
public final class Ed25519Key {
    // RFC 8410 §4 / §7: the fixed DER prefixes of an Ed25519 SubjectPublicKeyInfo and PKCS #8 key.
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** C2SP signed-note: the signature type byte of Ed25519 keys. */
    public static final byte ALG_ED25519 = 0x01;

    private final String name;
    private final byte[] seed;
    private final Ed25519PublicKey publicKey;
    private final Ed25519PrivateKeyParameters bcPrivate;

    private Ed25519Key(String name, byte[] seed) throws GeneralSecurityException {
        this.name = name;
        this.seed = seed.clone();
        this.publicKey = new Ed25519PublicKey(name, derivePublic(seed));
        this.bcPrivate = new Ed25519PrivateKeyParameters(this.seed, 0);
    }

    /** A new random key named {@code name}. */
    public static Ed25519Key generate(String name) {
        checkName(name);
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pkcs8 = kp.getPrivate().getEncoded();
            return new Ed25519Key(name, Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required of every JDK", e);
        }
    }

    /** The key with this 32-byte seed (RFC 8032 §5.1.5 private key). */
    public static Ed25519Key fromSeed(String name, byte[] seed) {
        checkName(name);
        if (seed.length != 32) throw new IllegalArgumentException("an Ed25519 seed has 32 bytes");
        try {
            return new Ed25519Key(name, seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required of every JDK", e);
        }
    }

    /**
     * Reads the C2SP signed-note private key text {@code PRIVATE+KEY+<name>+<hash8>+<base64(0x01 || seed)>};
     * empty when it is malformed or its hash does not match its key.
     */
    public static Optional<Ed25519Key> parsePrivate(String text) {
        String t = text.strip();
        if (!t.startsWith("PRIVATE+KEY+")) return Optional.empty();
        String rest = t.substring("PRIVATE+KEY+".length());
        // C2SP signed-note: names hold no '+', base64 may: split at the first two.
        int a = rest.indexOf('+');
        if (a <= 0) return Optional.empty();
        int b = rest.indexOf('+', a + 1);
        if (b < 0) return Optional.empty();
        String name = rest.substring(0, a);
        byte[] key;
        try {
            key = Base64.getDecoder().decode(rest.substring(b + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (key.length != 33 || key[0] != ALG_ED25519 || !Ed25519PublicKey.validName(name)) return Optional.empty();
        Ed25519Key k = fromSeed(name, Arrays.copyOfRange(key, 1, 33));
        if (!rest.substring(a + 1, b).equals(HexFormat.of().formatHex(k.publicKey().keyHash()))) return Optional.empty();
        return Optional.of(k);
    }

    /** The C2SP signed-note private key text (a secret: owner-only files). */
    public String privateKeyText() {
        return "PRIVATE+KEY+" + name + "+" + HexFormat.of().formatHex(publicKey.keyHash()) + "+"
                + Base64.getEncoder().encodeToString(concat(new byte[] {ALG_ED25519}, seed));
    }

    public String name() {
        return name;
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /**
     * RFC 8032 §5.1.6: the 64-byte signature of {@code message}. Bouncy Castle's Ed25519 rather than
     * the JDK's: the signature is the same (Ed25519 is deterministic), several times faster, and it is
     * on the path to every "250" the evidence log attests.
     */
    public byte[] sign(byte[] message) {
        org.bouncycastle.crypto.signers.Ed25519Signer s = new org.bouncycastle.crypto.signers.Ed25519Signer();
        s.init(true, bcPrivate);
        s.update(message, 0, message.length);
        return s.generateSignature();
    }

    private static byte[] derivePublic(byte[] seed) {
        // RFC 8032 §5.1.5: the public key is derived from the seed; the JDK exposes no such call, Bouncy Castle does.
        return new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    }

    static PublicKey jdkPublic(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static void checkName(String name) {
        if (!Ed25519PublicKey.validName(name)) throw new IllegalArgumentException("bad key name: " + name);
    }

    /** C2SP signed-note: key hash = first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key). */
    static byte[] keyHash(String name, byte[] rawPublic) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(name.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0x0A);
            md.update(ALG_ED25519);
            md.update(rawPublic);
            return Arrays.copyOf(md.digest(), 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
