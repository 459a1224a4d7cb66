package dev.sealpost.pop3;

import dev.sealpost.testkit.LoginLog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every POP3 login attempt is one LoginGate line (proto, mechanism, claimed user, IP, reason); replies do not tell users apart. */
class Pop3LoginLogTest extends Pop3TestBase {

    private static List<String> lines(LoginLog log) {
        return log.lines().stream().map(l -> l.replaceAll(" session=\\S+$", "")).toList();
    }

    @Test
    void failuresCancelsAndCloseAreLogged() throws Exception {
        Pop3Server server = start(config(false, true)); // login allowed without TLS: no TLS needed here
        try (LoginLog log = LoginLog.capture()) {
            try (Pop3Client c = Pop3Client.connect(server.port())) {
                c.line();
                c.cmd("USER " + ALICE);
                String wrong = c.cmd("PASS nope");
                c.cmd("USER nobody@example.test");
                String unknown = c.cmd("PASS nope");
                assertThat(wrong).isEqualTo(unknown).isEqualTo("-ERR [AUTH] Authentication failed"); // no enumeration
                assertThat(c.cmd("AUTH PLAIN")).isEqualTo("+ ");
                assertThat(c.cmd("*")).isEqualTo("-ERR Authentication cancelled");
                assertThat(c.cmd("AUTH SCRAM-SHA-256")).isEqualTo("+ ");
            } // closes mid-dialogue
            long until = System.nanoTime() + 5_000_000_000L;
            while (log.lines().size() < 4 && System.nanoTime() < until) Thread.sleep(20);
            assertThat(lines(log)).containsExactly(
                    "auth failed proto=pop3 mech=USER user=alice@example.test ip=127.0.0.1 reason=bad-credentials",
                    "auth failed proto=pop3 mech=USER user=nobody@example.test ip=127.0.0.1 reason=bad-credentials",
                    "auth failed proto=pop3 mech=PLAIN user=- ip=127.0.0.1 reason=cancelled",
                    "auth failed proto=pop3 mech=SCRAM-SHA-256 user=- ip=127.0.0.1 reason=client-closed");
        }
    }
}
