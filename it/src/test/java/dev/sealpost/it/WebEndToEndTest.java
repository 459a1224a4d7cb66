package dev.sealpost.it;

import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole server's HTTP(S) listeners with curl (PEERS.md): our MTA-STS policy for a local domain
 * over HTTPS with certificate verification (RFC 8461 §3.3), never over plain HTTP, and autoconfig.
 */
class WebEndToEndTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir, "", "$TTL 300\n", "[web]\nmta_sts_mode = \"enforce\"\nmta_sts_mx = [\"mx.example.test\"]\nmta_sts_max_age = 86400\n");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Peers.Result curl(String... args) throws Exception {
        Peers.require("curl");
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-D", "-"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, dir, 60);
    }

    @Test
    void mtaStsPolicyIsServedOverVerifiedHttpsForLocalDomains() throws Exception {
        int https = server.server.httpPort(true);
        Peers.Result r = curl("--cacert", server.cert.toString(), "--resolve", "mta-sts.example.test:" + https + ":127.0.0.1",
                "https://mta-sts.example.test:" + https + "/.well-known/mta-sts.txt");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("HTTP/1.1 200").containsIgnoringCase("content-type: text/plain")
                .contains("version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 86400\r\n");

        // another domain's policy host is not ours to answer for
        r = curl("-k", "--resolve", "mta-sts.other.test:" + https + ":127.0.0.1", "https://mta-sts.other.test:" + https + "/.well-known/mta-sts.txt");
        assertThat(r.output()).contains("HTTP/1.1 404");
        // RFC 8461 §3.3: the policy is only served over HTTPS
        int http = server.server.httpPort(false);
        r = curl("-H", "Host: mta-sts.example.test", "http://127.0.0.1:" + http + "/.well-known/mta-sts.txt");
        assertThat(r.output()).contains("HTTP/1.1 404").doesNotContain("STSv1");
    }

    @Test
    void autoconfigNamesOurListenersAndHealthAnswers() throws Exception {
        int http = server.server.httpPort(false);
        Peers.Result r = curl("http://127.0.0.1:" + http + "/mail/config-v1.1.xml?emailaddress=alice%40example.test");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("HTTP/1.1 200").contains("<clientConfig").contains("<incomingServer type=\"imap\">")
                .contains("<outgoingServer type=\"smtp\">").contains("%EMAILADDRESS%").doesNotContain("alice@example.test");
        assertThat(curl("http://127.0.0.1:" + http + "/mail/config-v1.1.xml?emailaddress=bob%40elsewhere.test").output()).contains("HTTP/1.1 404");
        assertThat(curl("http://127.0.0.1:" + http + "/healthz").output()).contains("HTTP/1.1 200").endsWith("ok");
        assertThat(curl("-X", "POST", "http://127.0.0.1:" + http + "/healthz").output()).contains("HTTP/1.1 405");
    }
}
