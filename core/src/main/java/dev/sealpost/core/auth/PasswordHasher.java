package dev.sealpost.core.auth;

import dev.sealpost.core.sasl.StoredCredentials;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;

/**
 * Password storage: a salted PBKDF2-HMAC-SHA256 hash for plaintext mechanisms (PLAIN, LOGIN,
 * IMAP LOGIN, POP3 PASS) and the SCRAM-SHA-256 StoredKey/ServerKey (RFC 5802 §3, RFC 7677).
 * Neither can be turned back into the password.
 */
public final class PasswordHasher {
    /** OWASP 2023 guidance for PBKDF2-HMAC-SHA256. */
    public static final int PBKDF2_ITERATIONS = 310_000;
    /** RFC 7677 §4 recommends at least 4096; more costs every SCRAM client the same. */
    public static final int SCRAM_ITERATIONS = 16_384;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {}

    /** Hashes a new password with fresh salts. */
    public static StoredCredentials hash(char[] password) {
        return hash(password, PBKDF2_ITERATIONS, SCRAM_ITERATIONS);
    }

    /** Hashes with given costs (tests use low costs). */
    public static StoredCredentials hash(char[] password, int pbkdf2Iterations, int scramIterations) {
        char[] prepared = saslPrep(password);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] h = pbkdf2(prepared, salt, pbkdf2Iterations);
        String encoded = "pbkdf2-sha256$" + pbkdf2Iterations + "$" + b64(salt) + "$" + b64(h);
        byte[] scramSalt = new byte[16];
        RANDOM.nextBytes(scramSalt);
        byte[] salted = pbkdf2(prepared, scramSalt, scramIterations); // Hi(Normalize(password), salt, i)
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = sha256(clientKey);
        byte[] serverKey = hmac(salted, "Server Key");
        Arrays.fill(prepared, '\0');
        return new StoredCredentials(encoded, scramSalt, scramIterations, storedKey, serverKey);
    }

    /** Checks a password against a hash made by {@link #hash}; constant time in the hash comparison. */
    public static boolean verify(String encoded, char[] password) {
        if (encoded == null || password == null) return false;
        String[] p = encoded.split("\\$");
        if (p.length != 4 || !p[0].equals("pbkdf2-sha256")) return false;
        int iterations;
        try {
            iterations = Integer.parseInt(p[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (iterations < 1 || iterations > 10_000_000) return false;
        byte[] salt, expected;
        try {
            salt = Base64.getDecoder().decode(p[2]);
            expected = Base64.getDecoder().decode(p[3]);
        } catch (IllegalArgumentException e) {
            return false; // a damaged stored hash matches no password
        }
        char[] prepared = saslPrep(password);
        try {
            // off the virtual-thread carriers, fairly per client address (finding 6: PasswordWork)
            byte[] actual = PasswordWork.run(() -> pbkdf2(prepared, salt, iterations), null);
            return actual != null && MessageDigest.isEqual(expected, actual); // interrupted: no verdict, no login
        } finally {
            Arrays.fill(prepared, '\0');
        }
    }

    /** A hash of a random password, so that a login to an unknown account costs the same time (no user enumeration). */
    public static String decoyHash() {
        return DECOY;
    }

    private static final String DECOY = hash(("decoy-" + RANDOM.nextLong()).toCharArray(), PBKDF2_ITERATIONS, 4096).passwordHash();

    /** RFC 4013 SASLprep, reduced to its normalisation step (NFKC); RFC 7677 uses it for SCRAM. */
    static char[] saslPrep(char[] password) {
        String s = Normalizer.normalize(new String(password), Normalizer.Form.NFKC);
        return s.toCharArray();
    }

    public static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return f.generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    public static byte[] hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().withoutPadding().encodeToString(b);
    }
}
