package dev.sealpost.core.login;

import dev.sealpost.core.auth.LoginThrottle;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LoginGateTest {
    private static final InetAddress IP = InetAddress.ofLiteral("203.0.113.5");

    /** The fail2ban filter documented in README ("Login failures in the log"), with <HOST> as fail2ban expands it. */
    private static final Pattern FAIL2BAN = Pattern.compile(
            "auth (?:failed|refused) proto=\\S+ mech=\\S+ user=\\S* ip=(?<host>[0-9a-fA-F.:]+) ");

    @Test
    void failureLineHasEveryFieldInOrder() {
        String line = LoginGate.line("auth failed", new LoginGate.Client("imap", "imap-1234", IP), "PLAIN",
                "alice@example.com", "bad-credentials");
        assertThat(line).isEqualTo("auth failed proto=imap mech=PLAIN user=alice@example.com ip=203.0.113.5"
                + " reason=bad-credentials session=imap-1234");
        var m = FAIL2BAN.matcher(line);
        assertThat(m.find()).isTrue();
        assertThat(m.group("host")).isEqualTo("203.0.113.5");
    }

    @Test
    void aClaimedUserCannotForgeFields() {
        String line = LoginGate.line("auth failed", new LoginGate.Client("smtp", "s1", IP), null,
                "x ip=198.51.100.9 %\u00e9\r\n", "bad-credentials");
        assertThat(line).contains("mech=- user=x%20ip=198.51.100.9%20%25%C3%A9%0D%0A ip=203.0.113.5 ");
        var m = FAIL2BAN.matcher(line);
        assertThat(m.find()).isTrue();
        assertThat(m.group("host")).isEqualTo("203.0.113.5");
        assertThat(LoginGate.field("a".repeat(1000))).hasSize(256);
        assertThat(LoginGate.field(null)).isEqualTo("-");
    }

    @Test
    void throttleIsSharedAcrossProtocols() throws Exception {
        var settings = new LoginThrottle.Settings(0, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10), 2, 100);
        LoginGate gate = new LoginGate(new LoginThrottle(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), settings));
        var smtp = new LoginGate.Client("smtp", "s1", IP);
        var imap = new LoginGate.Client("imap", "i1", IP);
        gate.failed(smtp, "PLAIN", "alice@example.com", "bad-credentials", () -> { });
        assertThat(gate.blocked(imap, "PLAIN")).isFalse();
        gate.failed(imap, "LOGIN", "alice@example.com", "bad-credentials", () -> { });
        assertThat(gate.blocked(new LoginGate.Client("pop3", "p1", IP), "USER")).isTrue();
        // aborted attempts (cancelled, malformed) are logged but not counted
        LoginGate other = new LoginGate(new LoginThrottle(Clock.systemUTC(), settings));
        other.aborted(smtp, "PLAIN", null, "cancelled");
        other.aborted(smtp, "PLAIN", null, "cancelled");
        assertThat(other.blocked(smtp, "PLAIN")).isFalse();
    }

    @Test
    void mayAuthenticateOnlyOverTlsUnlessAllowed() {
        assertThat(LoginPolicy.mayAuthenticate(true, false)).isTrue();
        assertThat(LoginPolicy.mayAuthenticate(false, false)).isFalse();
        assertThat(LoginPolicy.mayAuthenticate(false, true)).isTrue();
    }
}
