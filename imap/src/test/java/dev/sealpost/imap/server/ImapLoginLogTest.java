package dev.sealpost.imap.server;

import dev.sealpost.testkit.LoginLog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every IMAP login attempt is one LoginGate line (proto, mechanism, claimed user, IP, reason); replies do not tell users apart. */
class ImapLoginLogTest extends ImapTestBase {

    private static List<String> lines(LoginLog log) {
        return log.lines().stream().map(l -> l.replaceAll(" session=\\S+$", "")).toList();
    }

    @Test
    void failuresCancelsAndSuccessAreLogged() throws Exception {
        int port = start(config(false, true)).port(); // login allowed without TLS: no TLS needed here
        try (LoginLog log = LoginLog.capture(); ImapClient c = ImapClient.connect(port)) {
            String wrong = c.ok("LOGIN " + ALICE + " wrong");
            String unknown = c.ok("LOGIN nobody@example.test wrong");
            // no user enumeration: the same text after the tag
            assertThat(wrong.substring(3)).isEqualTo(unknown.substring(3)).isEqualTo("NO [AUTHENTICATIONFAILED] Authentication failed");
            c.send(c.nextTag() + " AUTHENTICATE PLAIN");
            assertThat(c.readLine()).isEqualTo("+ ");
            c.send("*");
            assertThat(c.readLine()).isEqualTo("a3 BAD AUTHENTICATE cancelled");
            String ir = Base64.getEncoder().encodeToString(("\0" + BOB + "\0nope").getBytes(StandardCharsets.UTF_8));
            assertThat(c.ok("AUTHENTICATE PLAIN " + ir)).startsWith("a4 NO [AUTHENTICATIONFAILED]");
            assertThat(c.ok("LOGIN " + ALICE + " " + PW)).startsWith("a5 OK");
            assertThat(lines(log)).containsExactly(
                    "auth failed proto=imap mech=LOGIN user=alice@example.test ip=127.0.0.1 reason=bad-credentials",
                    "auth failed proto=imap mech=LOGIN user=nobody@example.test ip=127.0.0.1 reason=bad-credentials",
                    "auth failed proto=imap mech=PLAIN user=- ip=127.0.0.1 reason=cancelled",
                    "auth failed proto=imap mech=PLAIN user=bob@example.test ip=127.0.0.1 reason=bad-credentials",
                    "auth ok proto=imap mech=LOGIN user=alice@example.test ip=127.0.0.1");
        }
    }

    @Test
    void loginBeforeTlsIsRefusedAndLogged() throws Exception {
        int port = start(config(false, false)).port();
        try (LoginLog log = LoginLog.capture(); ImapClient c = ImapClient.connect(port)) {
            assertThat(c.ok("AUTHENTICATE SCRAM-SHA-256")).isEqualTo("a1 NO [PRIVACYREQUIRED] Use STARTTLS first");
            assertThat(lines(log)).containsExactly("auth failed proto=imap mech=SCRAM-SHA-256 user=- ip=127.0.0.1 reason=tls-required");
        }
    }
}
