package dev.sealpost.imap.server;

import dev.sealpost.core.auth.PasswordHasher;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A minimal SCRAM-SHA-256 client (RFC 5802 §3), written from the RFC to drive the server in tests. */
final class ScramClient {
    final String gs2Header;
    final String clientFirstBare;
    private String authMessage;
    private byte[] serverKey;

    /** @param gs2Header e.g. {@code n,,}, {@code y,,}, {@code p=tls-exporter,,}, {@code n,a=bob,} */
    ScramClient(String gs2Header, String user, String clientNonce) {
        this.gs2Header = gs2Header;
        this.clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    }

    byte[] clientFirst() {
        return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    byte[] clientFinal(byte[] serverFirstBytes, String password, byte[] cbData) {
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
        byte[] salted = PasswordHasher.pbkdf2(password.toCharArray(), salt, i);
        byte[] clientKey = PasswordHasher.hmac(salted, "Client Key");
        byte[] storedKey = PasswordHasher.sha256(clientKey);
        byte[] signature = PasswordHasher.hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int k = 0; k < proof.length; k++) proof[k] = (byte) (clientKey[k] ^ signature[k]);
        serverKey = PasswordHasher.hmac(salted, "Server Key");
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** The server-final message the real server must send. */
    String expectedServerFinal() {
        return "v=" + Base64.getEncoder().encodeToString(PasswordHasher.hmac(serverKey, authMessage));
    }
}
