package dev.sealpost.pop3;

import dev.sealpost.core.auth.PasswordHasher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * SCRAM-SHA-256[-PLUS] client for tests (RFC 5802 §3 and §7, RFC 7677, RFC 9266), after the
 * approach of the SMTP client's ScramClient, with optional tls-exporter channel binding.
 */
final class ScramTestClient {
    private final String gs2;
    private final byte[] cbindData;
    private final String clientNonce;
    private final String clientFirstBare;
    private final char[] password;
    private byte[] serverSignature;

    /** @param cbindData tls-exporter data for -PLUS ({@code p=tls-exporter}), or null ({@code n,,}) */
    ScramTestClient(String user, String password, byte[] cbindData) {
        this.cbindData = cbindData;
        this.gs2 = cbindData == null ? "n,," : "p=tls-exporter,,";
        byte[] n = new byte[18];
        new SecureRandom().nextBytes(n);
        this.clientNonce = Base64.getEncoder().encodeToString(n);
        this.clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        this.password = password.toCharArray();
    }

    String clientFirst() {
        return b64(gs2 + clientFirstBare);
    }

    String clientFinal(String serverFirstB64) {
        String serverFirst = new String(Base64.getDecoder().decode(serverFirstB64), StandardCharsets.UTF_8);
        Map<String, String> a = attributes(serverFirst);
        String nonce = a.get("r");
        if (nonce == null || !nonce.startsWith(clientNonce)) throw new IllegalStateException("bad server nonce");
        byte[] salt = Base64.getDecoder().decode(a.get("s"));
        int i = Integer.parseInt(a.get("i"));
        byte[] gs2Bytes = gs2.getBytes(StandardCharsets.US_ASCII);
        byte[] cbind = gs2Bytes;
        if (cbindData != null) {
            cbind = new byte[gs2Bytes.length + cbindData.length];
            System.arraycopy(gs2Bytes, 0, cbind, 0, gs2Bytes.length);
            System.arraycopy(cbindData, 0, cbind, gs2Bytes.length, cbindData.length);
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = PasswordHasher.pbkdf2(password, salt, i);
        byte[] clientKey = PasswordHasher.hmac(salted, "Client Key");
        byte[] storedKey = PasswordHasher.sha256(clientKey);
        byte[] clientSignature = PasswordHasher.hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int k = 0; k < proof.length; k++) proof[k] = (byte) (clientKey[k] ^ clientSignature[k]);
        serverSignature = PasswordHasher.hmac(PasswordHasher.hmac(salted, "Server Key"), authMessage);
        return b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    boolean verifyServerFinal(String serverFinalB64) {
        String v = attributes(new String(Base64.getDecoder().decode(serverFinalB64), StandardCharsets.UTF_8)).get("v");
        return v != null && MessageDigest.isEqual(serverSignature, Base64.getDecoder().decode(v));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> attributes(String msg) {
        Map<String, String> out = new HashMap<>();
        for (String part : msg.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') out.putIfAbsent(part.substring(0, 1), part.substring(2));
        }
        return out;
    }
}
