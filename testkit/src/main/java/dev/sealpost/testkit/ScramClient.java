package dev.sealpost.testkit;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal SCRAM-SHA-256 client (RFC 5802 §3), written from the RFC to drive the servers' SASL in
 * tests (core's mechanism, IMAP). Its crypto is the JDK's, independent of the server's own.
 */
public final class ScramClient {
    public final String gs2Header;
    public final String clientFirstBare;
    private String authMessage;
    private byte[] serverKey;

    /** @param gs2Header e.g. {@code n,,}, {@code y,,}, {@code p=tls-exporter,,}, {@code n,a=bob,} */
    public ScramClient(String gs2Header, String user, String clientNonce) {
        this.gs2Header = gs2Header;
        this.clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    }

    public byte[] clientFirst() {
        return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] clientFinal(byte[] serverFirstBytes, String password, byte[] cbData) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        Map<String, String> attrs = new HashMap<>();
        for (String a : serverFirst.split(",")) attrs.put(a.substring(0, 1), a.substring(2));
        byte[] salt = Base64.getDecoder().decode(attrs.get("s"));
        int i = Integer.parseInt(attrs.get("i"));
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] cbind = Arrays.copyOf(header, header.length + cbData.length);
        System.arraycopy(cbData, 0, cbind, header.length, cbData.length);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + attrs.get("r");
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = pbkdf2(password.toCharArray(), salt, i);
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = sha256(clientKey);
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int k = 0; k < proof.length; k++) proof[k] = (byte) (clientKey[k] ^ signature[k]);
        serverKey = hmac(salted, "Server Key");
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** The server-final message the real server must send. */
    public String expectedServerFinal() {
        return "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
