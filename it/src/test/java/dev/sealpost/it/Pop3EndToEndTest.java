package dev.sealpost.it;

import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Mail delivered over SMTP, read with curl over POP3 (STLS) and POP3S with certificate verification (PEERS.md). */
class Pop3EndToEndTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
        server.deliverLocal("bob@example.test", "Subject: pop3 e2e\r\nFrom: x@elsewhere.test\r\n\r\nread me over POP3\r\n");
        server.awaitInbox("bob@example.test", 1);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Peers.Result curl(String... args) throws Exception {
        Peers.require("curl");
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", server.cert.toString(),
                "-u", "bob@example.test:bob password 123"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, dir, 60);
    }

    @Test
    void curlReadsOverPop3sAndStls() throws Exception {
        Peers.Result r = curl("pop3s://127.0.0.1:" + server.server.pop3Port(true) + "/1");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Subject: pop3 e2e").contains("read me over POP3").contains("Received: from");
        r = curl("--ssl-reqd", "pop3://127.0.0.1:" + server.server.pop3Port(false) + "/");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).matches("(?s)1 \\d+\\s*");
        // a wrong password is refused (curl: 67 = login denied)
        Peers.Result bad = Peers.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", server.cert.toString(), "-u",
                "bob@example.test:wrong", "pop3s://127.0.0.1:" + server.server.pop3Port(true) + "/1"), dir, 60);
        assertThat(bad.exit()).isEqualTo(67);
    }
}
