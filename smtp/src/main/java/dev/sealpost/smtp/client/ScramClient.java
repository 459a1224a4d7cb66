package dev.sealpost.smtp.client;

import dev.sealpost.core.auth.PasswordHasher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * SCRAM-SHA-256 client (RFC 5802 §3 and §5, RFC 7677), without channel binding ({@code n,,}).
 * The server must prove it knows the password too: {@link #verifyServerFinal} checks its signature.
 */
final class ScramClient {
    /** RFC 7677 §4: at least 4096 iterations; we refuse fewer. */
    static final int MIN_ITERATIONS = 4096;
    /** Bound on the work a server can make us do. */
    static final int MAX_ITERATIONS = 1_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GS2 = "n,,";

    /** The server's messages did not follow RFC 5802. */
    static final class ScramException extends Exception {
        ScramException(String m) {
            super(m, null, false, false);
        }
    }

    private final String clientNonce;
    private final String clientFirstBare;
    private final char[] password;
    private byte[] serverSignature;

    ScramClient(String user, char[] password) {
        this(user, password, randomNonce());
    }

    ScramClient(String user, char[] password, String nonce) {
        this.clientNonce = nonce;
        // RFC 5802 §5.1: "=" and "," in the name are escaped as =3D and =2C; SASLprep'd (NFKC here)
        String name = Normalizer.normalize(user, Normalizer.Form.NFKC).replace("=", "=3D").replace(",", "=2C");
        this.clientFirstBare = "n=" + name + ",r=" + nonce;
        this.password = Normalizer.normalize(new String(password), Normalizer.Form.NFKC).toCharArray();
    }

    static String randomNonce() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b); // printable, no ","
    }

    byte[] clientFirst() {
        return (GS2 + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    byte[] clientFinal(byte[] serverFirstBytes) throws ScramException {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        Map<String, String> a = attributes(serverFirst);
        if (a.containsKey("m")) throw new ScramException("mandatory extension not supported"); // RFC 5802 §5.1
        String nonce = a.get("r"), saltB64 = a.get("s"), iter = a.get("i");
        if (nonce == null || saltB64 == null || iter == null) throw new ScramException("server-first-message incomplete");
        // RFC 5802 §5.1: the server's nonce starts with ours
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) throw new ScramException("server nonce does not extend ours");
        byte[] salt;
        int i;
        try {
            salt = Base64.getDecoder().decode(saltB64);
            i = Integer.parseInt(iter);
        } catch (IllegalArgumentException e) {
            throw new ScramException("bad salt or iteration count");
        }
        if (i < MIN_ITERATIONS || i > MAX_ITERATIONS) throw new ScramException("iteration count " + i + " out of range");
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2.getBytes(StandardCharsets.US_ASCII)) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = PasswordHasher.pbkdf2(password, salt, i);
        Arrays.fill(password, '\0');
        byte[] clientKey = PasswordHasher.hmac(salted, "Client Key");
        byte[] storedKey = PasswordHasher.sha256(clientKey);
        byte[] clientSignature = PasswordHasher.hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int k = 0; k < proof.length; k++) proof[k] = (byte) (clientKey[k] ^ clientSignature[k]);
        serverSignature = PasswordHasher.hmac(PasswordHasher.hmac(salted, "Server Key"), authMessage);
        Arrays.fill(salted, (byte) 0);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 5802 §3: the server proves it knows the password: {@code v=base64(ServerSignature)}. */
    boolean verifyServerFinal(byte[] serverFinalBytes) {
        if (serverSignature == null) return false;
        Map<String, String> a = attributes(new String(serverFinalBytes, StandardCharsets.UTF_8));
        String v = a.get("v");
        if (v == null) return false;
        try {
            return MessageDigest.isEqual(serverSignature, Base64.getDecoder().decode(v));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, String> attributes(String msg) {
        Map<String, String> out = new HashMap<>();
        for (String part : msg.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') out.putIfAbsent(part.substring(0, 1), part.substring(2));
        }
        return out;
    }
}
