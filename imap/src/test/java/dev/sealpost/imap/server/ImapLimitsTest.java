package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Command and literal limits, bad-command limit, autologout. */
class ImapLimitsTest extends ImapTestBase {

    @Test
    void tooLongCommandLineIsRefused() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            c.send("a2 NOOP " + "x".repeat(70_000));
            String r = c.readLine();
            assertThat(r).contains("BAD").containsIgnoringCase("too long");
        }
    }

    @Test
    void largeLiteralBeforeLoginIsRefused() throws Exception {
        int port = plainPort();
        try (ImapClient c = ImapClient.connect(port)) {
            c.send("a1 LOGIN {100000}");
            assertThat(c.readLine()).startsWith("a1 BAD [TOOBIG]");
            c.nextTag();
            assertThat(c.ok("NOOP")).isEqualTo("a2 OK NOOP completed");
        }
    }

    @Test
    void tooManyBadCommandsEndTheSession() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int max = cfg.limits().maxBadCommands();
        int port = start(cfg).port();
        try (ImapClient c = ImapClient.connect(port)) {
            // the session survives max - 1 BAD replies; the max-th ends it
            for (int i = 0; i < max - 1; i++) assertThat(c.ok("BOGUS")).contains("BAD");
            c.send("x BOGUS");
            assertThat(c.readLine()).startsWith("x BAD");
            assertThat(c.readLine()).isEqualTo("* BYE Too many invalid commands");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void autologoutBeforeLogin() throws Exception {
        ImapServerConfig cfg = config(false, true);
        cfg = cfg.withLimits(cfg.limits().withTimeouts(Duration.ofMinutes(30), Duration.ofMillis(300)));
        int port = start(cfg).port();
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(c.readLine()).startsWith("* BYE Autologout");
        }
    }

    @Test
    void limitsRejectNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImapServerConfig.Limits.defaults().withSizes(100, 10, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
