package dev.sealpost.evidence.sign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A named Ed25519 public key: verifies signatures and has the C2SP signed-note verifier key text
 * {@code <name>+<hex(keyHash)>+<base64(0x01 || key)>}.
 */
public final class Ed25519PublicKey {
    private final String name;
    private final byte[] raw;
    private final byte[] keyHash;
    private final PublicKey jdk;

    Ed25519PublicKey(String name, byte[] raw) throws GeneralSecurityException {
        this.name = name;
        this.raw = raw.clone();
        this.keyHash = Ed25519Key.keyHash(name, raw);
        this.jdk = Ed25519Key.jdkPublic(raw);
    }

    /** The public key from its raw 32 bytes (RFC 8032 §5.1.5); empty if they are not a point. */
    public static Optional<Ed25519PublicKey> of(String name, byte[] raw) {
        if (!validName(name) || raw.length != 32) return Optional.empty();
        try {
            return Optional.of(new Ed25519PublicKey(name, raw));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Reads a C2SP verifier key text; empty when malformed, not Ed25519, or its hash does not match. */
    public static Optional<Ed25519PublicKey> parseVerifierKey(String text) {
        String t = text.strip();
        // C2SP signed-note: names hold no '+', base64 may: split at the first two.
        int a = t.indexOf('+');
        if (a <= 0) return Optional.empty();
        int b = t.indexOf('+', a + 1);
        if (b < 0) return Optional.empty();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(t.substring(b + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (key.length != 33 || key[0] != Ed25519Key.ALG_ED25519) return Optional.empty();
        Optional<Ed25519PublicKey> k = of(t.substring(0, a), Arrays.copyOfRange(key, 1, 33));
        if (k.isEmpty() || !t.substring(a + 1, b).equals(HexFormat.of().formatHex(k.get().keyHash()))) return Optional.empty();
        return k;
    }

    /**
     * C2SP signed-note: a key name is non-empty UTF-8 without Unicode spaces or plus signs (and so
     * without newlines).
     */
    public static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.contains("+")) return false;
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(name)) return false;
        return name.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c));
    }

    public String name() {
        return name;
    }

    /** The raw 32-byte public key. */
    public byte[] raw() {
        return raw.clone();
    }

    /** C2SP signed-note key hash: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || key). */
    public byte[] keyHash() {
        return keyHash.clone();
    }

    /** The key id as a 32-bit number (big-endian key hash). */
    public int keyId() {
        return ((keyHash[0] & 0xff) << 24) | ((keyHash[1] & 0xff) << 16) | ((keyHash[2] & 0xff) << 8) | (keyHash[3] & 0xff);
    }

    /** The C2SP verifier key text. */
    public String verifierKey() {
        return name + "+" + HexFormat.of().formatHex(keyHash) + "+"
                + Base64.getEncoder().encodeToString(Ed25519Key.concat(new byte[] {Ed25519Key.ALG_ED25519}, raw));
    }

    /** RFC 8032 §5.1.7: whether {@code signature} is this key's signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != 64) return false;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(jdk);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey k && k.name.equals(name) && Arrays.equals(k.raw, raw);
    }

    @Override public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(raw);
    }

    @Override public String toString() {
        return verifierKey();
    }
}
