package dev.sealpost.it;

import dev.sealpost.it.imaptest.ImaptestResult;
import dev.sealpost.it.imaptest.ImaptestRunner;
import dev.sealpost.it.imaptest.ImaptestSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dovecot's imaptest scripts (shared/conformance/imaptest, 72 scripts) against the whole Sealpost
 * server's IMAP listener, with the runner validated against Dovecot ({@code DovecotImaptestTest}).
 * Every script passes except those listed here with their reason (also in docs/rfc-index.md):
 * skipped ones need a capability we do not advertise. The counts are asserted.
 */
class SealpostImaptestTest {
    static final String PASSWORD = "imaptest password 1";
    @TempDir
    static Path dir;
    static TestServer server;

    /** Scripts not run because we do not advertise the capability they need. */
    static final Map<String, String> SKIPPED = new TreeMap<>(Map.of(
            "urlauth", "URLAUTH (RFC 4467) not implemented",
            "urlauth-binary", "URLAUTH (RFC 4467) not implemented",
            "urlauth2", "URLAUTH (RFC 4467) not implemented"));
    /** Scripts that fail, with the reason; empty is the goal. */
    static final Map<String, String> FAILING = new TreeMap<>(Map.of());

    @BeforeAll
    static void start() throws Exception {
        // the scripts log in with LOGIN over plain TCP, as imaptest does
        server = new TestServer(dir, "", "$TTL 300\n", "[imap]\nallow_plaintext_auth = true\n");
        server.store().directory().addAccount("imaptest1@example.test", PASSWORD.toCharArray());
        server.store().directory().addAccount("imaptest2@example.test", PASSWORD.toCharArray());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void imaptestScripts() {
        ImaptestRunner.Target target = new ImaptestRunner.Target("127.0.0.1", server.server.imapPort(false),
                "imaptest1@example.test", "imaptest2@example.test", PASSWORD, "imaptest", Duration.ofSeconds(10), true);
        List<ImaptestResult> results = ImaptestSuite.runAll(ImaptestSuite.defaultTestsDir(), target);
        String summary = ImaptestSuite.summary(results);
        System.out.println(summary);
        assertThat(results).hasSize(72);
        Map<String, ImaptestResult.Status> notPassed = results.stream().filter(r -> !r.passed())
                .collect(Collectors.toMap(ImaptestResult::name, ImaptestResult::status, (a, b) -> a, TreeMap::new));
        Map<String, ImaptestResult.Status> expected = new TreeMap<>();
        SKIPPED.keySet().forEach(k -> expected.put(k, ImaptestResult.Status.SKIPPED));
        FAILING.keySet().forEach(k -> expected.put(k, ImaptestResult.Status.FAILED));
        assertThat(notPassed).as(summary).isEqualTo(expected);
        assertThat(results.stream().filter(ImaptestResult::passed).count()).isEqualTo(72 - SKIPPED.size() - FAILING.size());
    }
}
