package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** openssl s_client against STARTTLS (MX, submission) and implicit TLS: TLS 1.2+ only, certificate verifies. */
class OpenSslInteropTest {
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

    private static Peers.Result sClient(ListenerKind kind, String... extra) throws Exception {
        Peers.require("openssl");
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(kind),
                "-CAfile", server.cert.toString(), "-verify_return_error", "-verify_ip", "127.0.0.1", "-brief"));
        if (kind != ListenerKind.SUBMISSIONS) cmd.addAll(List.of("-starttls", "smtp"));
        cmd.addAll(List.of(extra));
        return Peers.run(List.of("sh", "-c", String.join(" ", cmd.stream().map(a -> "'" + a + "'").toList()) + " </dev/null"), dir, 30);
    }

    @Test
    void starttlsOnMxAndSubmissionNegotiatesTls13WithAVerifiedCertificate() throws Exception {
        for (ListenerKind k : List.of(ListenerKind.MX, ListenerKind.SUBMISSION, ListenerKind.SUBMISSIONS)) {
            Peers.Result r = sClient(k);
            assertThat(r.exit()).as(k + ": " + r.output()).isZero();
            assertThat(r.output()).as(k.toString()).contains("Protocol version: TLSv1.3").contains("Verification: OK");
        }
    }

    @Test
    void tls12IsAcceptedAndOlderVersionsAreRefused() throws Exception {
        Peers.Result v12 = sClient(ListenerKind.SUBMISSION, "-tls1_2");
        assertThat(v12.exit()).as(v12.output()).isZero();
        assertThat(v12.output()).contains("Protocol version: TLSv1.2");
        for (String old : List.of("-tls1_1", "-tls1")) {
            // SECLEVEL=0 makes the client really offer the old version, so the refusal is the server's:
            // it answers with the protocol_version alert (RFC 8446 §6.2, alert 70)
            Peers.Result r = sClient(ListenerKind.SUBMISSIONS, old, "-cipher", "DEFAULT@SECLEVEL=0");
            assertThat(r.exit()).as(old + ": " + r.output()).isNotZero();
            assertThat(r.output()).as(old).contains("alert protocol version");
        }
    }
}
