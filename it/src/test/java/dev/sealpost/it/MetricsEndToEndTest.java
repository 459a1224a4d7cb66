package dev.sealpost.it;

import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} on a whole server: the counters move by exactly the mail that flowed, and
 * Prometheus's own linter ({@code promtool check metrics}, Debian's prometheus package) finds no
 * problem in what we expose.
 */
class MetricsEndToEndTest {
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

    private static String scrape() throws Exception {
        Peers.require("curl");
        Peers.Result r = Peers.run(List.of("curl", "-sS", "--max-time", "20", "-D", "-",
                "http://127.0.0.1:" + server.server.httpPort(false) + "/metrics"), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("HTTP/1.1 200").containsIgnoringCase("content-type: text/plain; version=0.0.4");
        return r.output().substring(r.output().indexOf("\r\n\r\n") + 4);
    }

    /** The sample's value (0 when the series does not exist yet). */
    static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void countersMoveByTheMailThatFlowedAndPromtoolAcceptsTheExposition() throws Exception {
        String before = scrape();
        for (int i = 0; i < 3; i++) {
            server.deliverLocal("bob@example.test", "From: a@elsewhere.test\r\nTo: bob@example.test\r\nSubject: metrics " + i + "\r\n\r\nbody\r\n");
        }
        server.awaitInbox("bob@example.test", 3);
        String after = scrape();

        String accepted = "sealpost_messages_accepted_total{listener=\"mx\"}";
        String ours = after.lines().filter(l -> l.startsWith("sealpost_")).filter(l -> !l.contains("_bucket")).reduce("", (a, b) -> a + "\n" + b);
        assertThat(value(after, accepted) - value(before, accepted)).as(ours).isEqualTo(3.0);
        String delivered = "sealpost_deliveries_total{outcome=\"delivered\",route=\"local\"}";
        assertThat(value(after, delivered) - value(before, delivered)).as(ours).isEqualTo(3.0);
        String data = "sealpost_smtp_commands_total{command=\"data\"}";
        assertThat(value(after, data) - value(before, data)).as(ours).isEqualTo(3.0);
        assertThat(value(after, "sealpost_smtp_replies_total{class=\"2xx\"}")).isGreaterThan(value(before, "sealpost_smtp_replies_total{class=\"2xx\"}"));
        assertThat(after).contains("sealpost_store_commit_seconds_bucket").contains("jvm_memory_used_bytes")
                .contains("sealpost_queue_depth").contains("sealpost_sessions_active{");

        Peers.require("promtool");
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, after);
        Peers.Result lint = Peers.run(List.of("sh", "-c", "promtool check metrics < " + file), dir, 60);
        assertThat(lint.exit()).as(lint.output()).isZero();
    }
}
