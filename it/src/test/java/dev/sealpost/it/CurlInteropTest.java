package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** curl's SMTP client over STARTTLS with certificate verification against our self-signed CA. */
class CurlInteropTest {
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

    @Test
    void curlSubmitsOverStarttlsWithVerifiedCertificate() throws Exception {
        Peers.require("curl");
        Path msg = dir.resolve("msg.eml");
        Files.writeString(msg, "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: via curl\r\n\r\n"
                + "..a line starting with a dot\r\nbye\r\n");
        Peers.Result r = Peers.run(List.of("curl", "-sS", "-v", "--ssl-reqd", "--cacert", server.cert.toString(),
                "--login-options", "AUTH=PLAIN",
                "smtp://127.0.0.1:" + server.port(ListenerKind.SUBMISSION) + "/client.test",
                "--user", TestServer.USER + ":" + TestServer.PASSWORD,
                "--mail-from", TestServer.USER, "--mail-rcpt", "bob@example.test", "-T", msg.toString()), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        // curl dot-stuffs the leading dot; we unstuff it (RFC 5321 §4.5.2)
        assertThat(server.awaitContent("bob@example.test", "Subject: via curl")).contains("Subject: via curl\r\n\r\n..a line starting with a dot\r\nbye\r\n");
    }
}
