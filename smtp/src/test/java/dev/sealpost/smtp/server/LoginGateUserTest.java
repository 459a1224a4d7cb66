package dev.sealpost.smtp.server;

import dev.sealpost.testkit.LoginLog;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.sasl.CredentialLookup;
import dev.sealpost.core.sasl.LoginMechanism;
import dev.sealpost.core.sasl.PlainMechanism;
import dev.sealpost.core.sasl.SaslMechanism;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session tells the {@link LoginGate} which user a failed login claimed, so the per-account
 * slowdown of the login throttle applies (not only the per-address one), and the failure line
 * names it, with mechanism, address and reason, for fail2ban.
 */
class LoginGateUserTest extends ServerTestBase {

    private static final CredentialLookup ACCOUNTS = new CredentialLookup() {
        private final Account alice = new Account("alice@example.com",
                PasswordHasher.hash("correct horse".toCharArray(), 1000, 4096));

        @Override
        public Optional<Account> lookup(String username) {
            return username.toLowerCase(Locale.ROOT).equals("alice@example.com") ? Optional.of(alice) : Optional.empty();
        }
    };

    private int server(SaslMechanism... mechs) throws Exception {
        // cleartext AUTH allowed so that the test needs no TLS (allowAuthWithoutTls)
        return start(new SmtpServerConfig("smtp.test", ListenerKind.SUBMISSION, anyPort(), null,
                List.of(mechs), true, false, SmtpServerConfig.Limits.defaults()), LoginGate.unthrottled());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void ehlo(Dialog d) throws Exception {
        d.run("S: 220 *", "C: EHLO client.test");
        d.readReply();
    }

    /** The lines without their session ids. */
    private static List<String> lines(LoginLog log) {
        return log.lines().stream().map(l -> l.replaceAll(" session=\\S+$", "")).toList();
    }

    @Test
    void plainFailureReportsTheClaimedUser() throws Exception {
        try (LoginLog log = LoginLog.capture(); Dialog d = Dialog.connect(server(new PlainMechanism(ACCOUNTS)))) {
            ehlo(d);
            // one reply for a wrong password and an unknown user: no enumeration
            d.run("C: AUTH PLAIN " + b64("\0Alice@Example.com\0guess"), "S: 535 5.7.8 Authentication credentials invalid");
            d.run("C: AUTH PLAIN " + b64("\0mallory@example.com\0guess"), "S: 535 5.7.8 Authentication credentials invalid");
            d.run("C: AUTH PLAIN " + b64("\0alice@example.com\0correct horse"), "S: 235 2.7.0 *");
            d.run("C: QUIT", "S: 221 *");
            assertThat(lines(log)).containsExactly(
                    "auth failed proto=smtp mech=PLAIN user=Alice@Example.com ip=127.0.0.1 reason=bad-credentials",
                    "auth failed proto=smtp mech=PLAIN user=mallory@example.com ip=127.0.0.1 reason=bad-credentials",
                    "auth ok proto=smtp mech=PLAIN user=alice@example.com ip=127.0.0.1");
        }
    }

    @Test
    void loginFailureAfterChallengesReportsTheUser() throws Exception {
        try (LoginLog log = LoginLog.capture(); Dialog d = Dialog.connect(server(new LoginMechanism(ACCOUNTS)))) {
            ehlo(d);
            d.run("C: AUTH LOGIN", "S: 334 " + b64("Username:"),
                    "C: " + b64("alice@example.com"), "S: 334 " + b64("Password:"),
                    "C: " + b64("wrong"), "S: 535 5.7.8 *");
            d.run("C: QUIT", "S: 221 *");
            assertThat(lines(log)).containsExactly(
                    "auth failed proto=smtp mech=LOGIN user=alice@example.com ip=127.0.0.1 reason=bad-credentials");
        }
    }

    @Test
    void aMechanismThatNamesNoUserReportsNone() throws Exception {
        try (LoginLog log = LoginLog.capture(); Dialog d = Dialog.connect(server(FakeMechanism.plain("FAKE-PLAIN")))) {
            ehlo(d);
            d.run("C: AUTH FAKE-PLAIN " + FakeMechanism.creds("eve", "guess"), "S: 535 5.7.8 *");
            d.run("C: QUIT", "S: 221 *");
            assertThat(lines(log)).containsExactly(
                    "auth failed proto=smtp mech=FAKE-PLAIN user=- ip=127.0.0.1 reason=bad-password");
        }
    }

    @Test
    void cancelAndCloseMidDialogueAreLogged() throws Exception {
        try (LoginLog log = LoginLog.capture()) {
            int port = server(new LoginMechanism(ACCOUNTS));
            try (Dialog d = Dialog.connect(port)) {
                ehlo(d);
                d.run("C: AUTH LOGIN", "S: 334 " + b64("Username:"), "C: " + b64("alice@example.com"),
                        "S: 334 " + b64("Password:"), "C: *", "S: 501 5.0.0 *");
            }
            try (Dialog d = Dialog.connect(port)) {
                ehlo(d);
                d.run("C: AUTH LOGIN", "S: 334 " + b64("Username:"), "C: " + b64("bob@example.com"),
                        "S: 334 " + b64("Password:"));
            } // closes mid-dialogue
            long until = System.nanoTime() + 5_000_000_000L;
            while (log.lines().size() < 2 && System.nanoTime() < until) Thread.sleep(20);
            assertThat(lines(log)).containsExactly(
                    "auth failed proto=smtp mech=LOGIN user=alice@example.com ip=127.0.0.1 reason=cancelled",
                    "auth failed proto=smtp mech=LOGIN user=bob@example.com ip=127.0.0.1 reason=client-closed");
        }
    }
}
