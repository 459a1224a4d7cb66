package dev.sealpost.smtp.server;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.sasl.CredentialLookup;
import dev.sealpost.core.sasl.LoginMechanism;
import dev.sealpost.core.sasl.PlainMechanism;
import dev.sealpost.core.sasl.SaslMechanism;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session tells the {@link AuthGuard} which user a failed login claimed, so the
 * per-account slowdown of the login throttle applies (not only the per-address one).
 */
class AuthGuardUserTest extends ServerTestBase {

    private static final CredentialLookup ACCOUNTS = new CredentialLookup() {
        private final Account alice = new Account("alice@example.com",
                PasswordHasher.hash("correct horse".toCharArray(), 1000, 4096));

        @Override
        public Optional<Account> lookup(String username) {
            return username.toLowerCase(Locale.ROOT).equals("alice@example.com") ? Optional.of(alice) : Optional.empty();
        }
    };

    /** Records every call as "method ip user". */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AuthGuard recording = new AuthGuard() {
        @Override
        public Duration delayBeforeFailureReply(InetAddress client, String user) {
            calls.add("delay " + client.getHostAddress() + " " + user);
            return Duration.ZERO;
        }

        @Override
        public void failed(InetAddress client, String user) {
            calls.add("failed " + client.getHostAddress() + " " + user);
        }

        @Override
        public void succeeded(InetAddress client, String user) {
            calls.add("ok " + client.getHostAddress() + " " + user);
        }
    };

    private int server(SaslMechanism... mechs) throws Exception {
        // cleartext AUTH allowed so that the test needs no TLS (6th argument)
        return start(new SmtpServerConfig("smtp.test", ListenerKind.SUBMISSION, anyPort(), null,
                List.of(mechs), true, false, SmtpServerConfig.Limits.defaults()), recording);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void ehlo(Dialog d) throws Exception {
        d.run("S: 220 *", "C: EHLO client.test");
        d.readReply();
    }

    @Test
    void plainFailureReportsTheClaimedUser() throws Exception {
        try (Dialog d = Dialog.connect(server(new PlainMechanism(ACCOUNTS)))) {
            ehlo(d);
            d.run("C: AUTH PLAIN " + b64("\0Alice@Example.com\0guess"), "S: 535 5.7.8 *");
            d.run("C: AUTH PLAIN " + b64("\0mallory@example.com\0guess"), "S: 535 5.7.8 *");
            d.run("C: AUTH PLAIN " + b64("\0alice@example.com\0correct horse"), "S: 235 2.7.0 *");
        }
        assertThat(calls).containsExactly(
                "failed 127.0.0.1 Alice@Example.com", "delay 127.0.0.1 Alice@Example.com",
                "failed 127.0.0.1 mallory@example.com", "delay 127.0.0.1 mallory@example.com",
                "ok 127.0.0.1 alice@example.com");
    }

    @Test
    void loginFailureAfterChallengesReportsTheUser() throws Exception {
        try (Dialog d = Dialog.connect(server(new LoginMechanism(ACCOUNTS)))) {
            ehlo(d);
            d.run("C: AUTH LOGIN", "S: 334 " + b64("Username:"),
                    "C: " + b64("alice@example.com"), "S: 334 " + b64("Password:"),
                    "C: " + b64("wrong"), "S: 535 5.7.8 *");
        }
        assertThat(calls).containsExactly("failed 127.0.0.1 alice@example.com", "delay 127.0.0.1 alice@example.com");
    }

    @Test
    void aMechanismThatNamesNoUserReportsNull() throws Exception {
        try (Dialog d = Dialog.connect(server(FakeMechanism.plain("FAKE-PLAIN")))) {
            ehlo(d);
            d.run("C: AUTH FAKE-PLAIN " + FakeMechanism.creds("eve", "guess"), "S: 535 5.7.8 *");
        }
        assertThat(calls).containsExactly("failed 127.0.0.1 null", "delay 127.0.0.1 null");
    }
}
