package dev.sealpost.imap.server;

import dev.sealpost.testkit.ScramClient;
import dev.sealpost.core.auth.LoginThrottle;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** LOGIN and AUTHENTICATE (PLAIN with and without SASL-IR, SCRAM-SHA-256, -PLUS), failures, throttling, limits. */
class ImapAuthTest extends ImapTestBase {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void loginFailuresLookTheSameForUnknownUserAndBadPassword() throws Exception {
        int port = plainPort();
        try (ImapClient c = ImapClient.connect(port)) {
            String unknown = c.ok("LOGIN nobody@example.test secret-pw");
            String badPw = c.ok("LOGIN alice@example.test wrong");
            assertThat(unknown.substring(3)).isEqualTo(badPw.substring(3)).isEqualTo("NO [AUTHENTICATIONFAILED] Authentication failed");
            String ok = c.ok("LOGIN \"alice@example.test\" \"secret-pw\"");
            assertThat(ok).startsWith("a3 OK [CAPABILITY ");
            assertThat(c.ok("LOGIN alice@example.test secret-pw")).startsWith("a4 BAD");
        }
    }

    @Test
    void loginWithLiteralPassword() throws Exception {
        int port = plainPort();
        try (ImapClient c = ImapClient.connect(port)) {
            c.send("t1 LOGIN alice@example.test {9}");
            assertThat(c.readLine()).startsWith("+ ");
            c.send("secret-pw");
            assertThat(c.until("t1").getLast()).startsWith("t1 OK");
        }
    }

    @Test
    void authenticatePlainWithInitialResponseAndWithContinuation() throws Exception {
        int port = plainPort();
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(c.ok("AUTHENTICATE PLAIN " + b64("\0alice@example.test\0wrong"))).isEqualTo("a1 NO [AUTHENTICATIONFAILED] Authentication failed");
            c.send("a2 AUTHENTICATE PLAIN");
            assertThat(c.readLine()).isEqualTo("+ ");
            c.send("*"); // RFC 9051 §6.2.2: cancel
            assertThat(c.until("a2").getLast()).startsWith("a2 BAD");
            c.send("a3 AUTHENTICATE PLAIN");
            assertThat(c.readLine()).isEqualTo("+ ");
            c.send(b64("\0alice@example.test\0secret-pw"));
            assertThat(c.until("a3").getLast()).startsWith("a3 OK [CAPABILITY");
        }
    }

    @Test
    void authenticateScramSha256AndPlus() throws Exception {
        int port = start(config(true, false)).port();
        for (boolean plus : new boolean[] {false, true}) {
            try (ImapClient c = ImapClient.connectTls(port)) {
                ScramClient sc = new ScramClient(plus ? "p=tls-exporter,," : "n,,", ALICE, "clientnonce" + plus);
                c.send("s1 AUTHENTICATE SCRAM-SHA-256" + (plus ? "-PLUS" : "") + " " + Base64.getEncoder().encodeToString(sc.clientFirst()));
                String first = c.readLine();
                assertThat(first).startsWith("+ ");
                byte[] cb = new byte[0];
                if (plus) {
                    javax.net.ssl.ExtendedSSLSession ss = (javax.net.ssl.ExtendedSSLSession) ((javax.net.ssl.SSLSocket) c.socket()).getSession();
                    cb = ss.exportKeyingMaterialData("EXPORTER-Channel-Binding", new byte[0], 32);
                }
                byte[] fin = sc.clientFinal(Base64.getDecoder().decode(first.substring(2)), PW, cb);
                c.send(Base64.getEncoder().encodeToString(fin));
                String last = c.readLine();
                assertThat(last).startsWith("+ ");
                assertThat(new String(Base64.getDecoder().decode(last.substring(2)), StandardCharsets.UTF_8)).isEqualTo(sc.expectedServerFinal());
                c.send("");
                assertThat(c.until("s1").getLast()).startsWith("s1 OK [CAPABILITY");
            }
        }
    }

    @Test
    void throttleSlowsAndBlocksRepeatedFailures() throws Exception {
        LoginThrottle throttle = new LoginThrottle(Clock.systemUTC(),
                new LoginThrottle.Settings(1, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMinutes(10), 3, 1000));
        int port = start(config(false, true), throttle).port();
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(c.ok("LOGIN alice@example.test bad1")).contains("AUTHENTICATIONFAILED");
            long t0 = System.nanoTime();
            assertThat(c.ok("LOGIN alice@example.test bad2")).contains("AUTHENTICATIONFAILED");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(c.ok("LOGIN alice@example.test bad3")).contains("AUTHENTICATIONFAILED");
            // blocked now: even the right password is refused
            assertThat(c.ok("LOGIN alice@example.test secret-pw")).contains("NO [UNAVAILABLE]");
        }
    }

    @Test
    void perAccountSessionLimit() throws Exception {
        ImapServerConfig cfg = config(false, true);
        cfg = cfg.withLimits(cfg.limits().withMaxConnectionsPerAccount(1));
        int port = start(cfg).port();
        try (ImapClient a = login(port, ALICE); ImapClient b = ImapClient.connect(port)) {
            assertThat(b.ok("LOGIN alice@example.test secret-pw")).isEqualTo("a1 NO [LIMIT] Too many simultaneous sessions for this account");
            assertThat(b.ok("LOGIN bob@example.test secret-pw")).startsWith("a2 OK");
            a.cmd("LOGOUT");
        }
    }

    @Test
    void unauthenticateReturnsToTheNotAuthenticatedState() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            assertThat(c.ok("UNAUTHENTICATE")).isEqualTo("a2 OK UNAUTHENTICATE completed");
            assertThat(c.ok("SELECT INBOX")).startsWith("a3 BAD");
            assertThat(c.ok("LOGIN bob@example.test secret-pw")).startsWith("a4 OK");
            List<String> r = c.cmd("LIST \"\" INBOX");
            assertThat(r.getLast()).isEqualTo("a5 OK LIST completed");
        }
    }
}
