package dev.sealpost.it;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.smtp.server.ListenerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCRAM-SHA-256-PLUS over implicit TLS 1.3 with tls-exporter channel binding (RFC 5802,
 * RFC 7677, RFC 9266), driven by a client written here from the RFCs, verifying our
 * certificate against the self-signed CA. -PLUS is not advertised by default and still accepted.
 */
class ScramPlusSubmissionTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static SSLSocket connect() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(server.cert)) {
            ts.setCertificateEntry("demo", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port(ListenerKind.SUBMISSIONS));
        var p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // checks IP:127.0.0.1 in the certificate
        s.setSSLParameters(p);
        s.setSoTimeout(15_000);
        s.startHandshake();
        return s;
    }

    private record Outcome(String finalReply, String serverFinal, String expectedServerFinal) {}

    private static Outcome scramPlus(String password, boolean corruptBinding) throws Exception {
        try (SSLSocket s = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertThat(reply(in)).startsWith("220");
            send(out, "EHLO client.test");
            // not listed by default (server.advertise_scram_plus = false: GNU SASL clients pick it and
            // fail), but accepted from a client that asks for it by name
            assertThat(reply(in)).contains("AUTH SCRAM-SHA-256 ").doesNotContain("PLUS");
            byte[] cb = ((ExtendedSSLSession) s.getSession()).exportKeyingMaterialData("EXPORTER-Channel-Binding", new byte[0], 32);
            if (corruptBinding) cb[0] ^= 1;
            String gs2 = "p=tls-exporter,,";
            String bare = "n=" + TestServer.USER + ",r=" + "fyko+d2lbbFgONRv9qkxdawL";
            send(out, "AUTH SCRAM-SHA-256-PLUS " + b64((gs2 + bare).getBytes(StandardCharsets.UTF_8)));
            String first = reply(in);
            assertThat(first).startsWith("334 ");
            String serverFirst = new String(Base64.getDecoder().decode(first.substring(4)), StandardCharsets.UTF_8);
            Map<String, String> a = new HashMap<>();
            for (String kv : serverFirst.split(",")) a.put(kv.substring(0, 1), kv.substring(2));
            assertThat(a.get("r")).startsWith("fyko+d2lbbFgONRv9qkxdawL");
            byte[] header = gs2.getBytes(StandardCharsets.UTF_8);
            byte[] cbind = new byte[header.length + cb.length];
            System.arraycopy(header, 0, cbind, 0, header.length);
            System.arraycopy(cb, 0, cbind, header.length, cb.length);
            String withoutProof = "c=" + b64(cbind) + ",r=" + a.get("r");
            String authMessage = bare + "," + serverFirst + "," + withoutProof;
            byte[] salted = PasswordHasher.pbkdf2(password.toCharArray(), Base64.getDecoder().decode(a.get("s")), Integer.parseInt(a.get("i")));
            byte[] clientKey = PasswordHasher.hmac(salted, "Client Key");
            byte[] sig = PasswordHasher.hmac(PasswordHasher.sha256(clientKey), authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int k = 0; k < proof.length; k++) proof[k] = (byte) (clientKey[k] ^ sig[k]);
            String expected = "v=" + b64(PasswordHasher.hmac(PasswordHasher.hmac(salted, "Server Key"), authMessage));
            send(out, b64((withoutProof + ",p=" + b64(proof)).getBytes(StandardCharsets.UTF_8)));
            String r = reply(in);
            String serverFinal = null;
            if (r.startsWith("334 ")) {
                // RFC 4954 §4: additional data with success goes in a 334 that the client answers empty
                serverFinal = new String(Base64.getDecoder().decode(r.substring(4)), StandardCharsets.UTF_8);
                send(out, "");
                r = reply(in);
            }
            if (r.startsWith("235")) {
                send(out, "MAIL FROM:<" + TestServer.USER + ">");
                assertThat(reply(in)).startsWith("250");
            }
            return new Outcome(r, serverFinal, expected);
        }
    }

    @Test
    void scramPlusAuthenticatesAndTheServerProvesItKnowsTheKey() throws Exception {
        Outcome o = scramPlus(TestServer.PASSWORD, false);
        assertThat(o.finalReply()).startsWith("235 2.7.0");
        assertThat(o.serverFinal()).isEqualTo(o.expectedServerFinal());
    }

    @Test
    void wrongChannelBindingFailsEvenWithTheRightPassword() throws Exception {
        assertThat(scramPlus(TestServer.PASSWORD, true).finalReply()).startsWith("535 5.7.8");
    }

    @Test
    void wrongPasswordFails() throws Exception {
        assertThat(scramPlus("not it", false).finalReply()).startsWith("535 5.7.8");
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String reply(BufferedReader in) throws Exception {
        StringBuilder b = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) throw new java.io.EOFException("closed after " + b);
            b.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return b.toString().trim();
    }
}
