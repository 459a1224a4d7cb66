package dev.sealpost.smtp.server;

import dev.sealpost.testkit.LoginLog;
import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.sasl.ChannelBinding;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.testkit.TestTls;
import org.junit.jupiter.api.Test;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpTlsAuthTest extends ServerTestBase {

    private final FakeMechanism plain = FakeMechanism.plain("FAKE-PLAIN");
    private final FakeMechanism hashed = FakeMechanism.hashed("FAKE");
    private final FakeMechanism plus = FakeMechanism.plus("FAKE-PLUS");

    private SmtpServerConfig submission(ListenerKind kind) throws Exception {
        return SmtpServerConfig.submission("smtp.test", kind, anyPort(), TestTls.server(),
                List.<SaslMechanism>of(plus, hashed, plain));
    }

    private static SSLContext client13() throws Exception {
        return TestTls.client("TLSv1.3");
    }

    private static List<String> ehlo(Dialog d) throws Exception {
        d.run("C: EHLO client.test");
        return d.readReply().stream().map(l -> l.substring(4)).toList(); // the keywords, without "250-"
    }

    @Test
    void mxStartTlsChangesTheCapabilities() throws Exception {
        SmtpServerConfig cfg = new SmtpServerConfig("mx.test", ListenerKind.MX, anyPort(), dev.sealpost.core.tls.ServerTls.of(TestTls.server()),
                List.of(hashed), false, false, SmtpServerConfig.Limits.defaults());
        try (Dialog d = Dialog.connect(start(cfg), client13())) {
            d.run("S: 220 mx.test ESMTP Sealpost");
            assertThat(ehlo(d)).contains("STARTTLS").doesNotContain("REQUIRETLS")
                    .noneMatch(l -> l.contains("AUTH"));
            d.run("C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "TLS");
            // RFC 3207 §4.2: the EHLO state is gone
            d.run("C: MAIL FROM:<a@example.org>", "S: 503 Send EHLO or HELO first");
            List<String> caps = ehlo(d);
            assertThat(caps).doesNotContain("STARTTLS").contains("REQUIRETLS")
                    .noneMatch(l -> l.contains("AUTH")); // never AUTH on MX
            d.run("C: STARTTLS", "S: 503 5.5.1 TLS already active",
                    "C: AUTH FAKE " + FakeMechanism.creds("alice", "secret"), "S: 503 5.5.1 AUTH not available",
                    "C: MAIL FROM:<a@example.org> REQUIRETLS", "S: 250 2.1.0 Sender ok",
                    "C: RCPT TO:<b@example.net>", "S: 250 *", "C: DATA", "S: 354 *", "C: hi", "C: .",
                    "S: 250 2.0.0 Ok: queued");
        }
        assertThat(rec.delivered).singleElement().satisfies(m -> {
            assertThat(m.tls()).isTrue();
            assertThat(m.tx().requireTls()).isTrue();
        });
    }

    /** CVE-2011-0411: commands pipelined after STARTTLS in the clear must never run after the handshake. */
    @Test
    void startTlsDiscardsInjectedCommands() throws Exception {
        try (Dialog d = Dialog.connect(start(SmtpServerConfig.mx("mx.test", anyPort(), TestTls.server())), client13())) {
            d.run("S: 220 *", "C: EHLO client.test");
            d.readReply();
            d.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\nRCPT TO:<victim@example.net>\r\n");
            d.run("S: 220 2.0.0 Ready to start TLS", "TLS");
            d.run("C: NOOP", "S: 250 Ok"); // the first reply after TLS answers our NOOP, not an injected command
            assertThat(ehlo(d)).first().isEqualTo("mx.test");
        }
        assertThat(rec.sawMailFrom("<injected@evil.test>")).isFalse();
        assertThat(rec.events).noneMatch(e -> e.startsWith("rcpt"));
    }

    @Test
    void submissionNeedsTlsThenAuth() throws Exception {
        try (Dialog d = Dialog.connect(start(submission(ListenerKind.SUBMISSION)), client13())) {
            d.run("S: 220 smtp.test ESMTP Sealpost");
            List<String> before = ehlo(d);
            assertThat(before).contains("STARTTLS").noneMatch(l -> l.contains("AUTH"));
            d.run("C: AUTH FAKE " + FakeMechanism.creds("alice", "secret"),
                    "S: 538 5.7.11 Encryption required for requested authentication mechanism",
                    "C: MAIL FROM:<alice@example.org>", "S: 530 5.7.0 Authentication required",
                    "C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "TLS",
                    "C: AUTH FAKE " + FakeMechanism.creds("alice", "secret"), "S: 503 Send EHLO first");
            List<String> after = ehlo(d);
            // RFC 9266 channel binding available on TLS 1.3: the -PLUS mechanism is offered
            assertThat(after).contains("REQUIRETLS", "AUTH FAKE-PLUS FAKE FAKE-PLAIN").doesNotContain("STARTTLS");
            d.run("C: MAIL FROM:<alice@example.org>", "S: 530 5.7.0 Authentication required",
                    "C: AUTH NOPE", "S: 504 5.5.4 Unrecognized authentication type",
                    "C: AUTH FAKE " + FakeMechanism.creds("alice", "wrong"), "S: 535 5.7.8 Authentication credentials invalid",
                    "C: AUTH FAKE !!!", "S: 501 5.5.2 Cannot decode authentication response",
                    "C: AUTH FAKE " + FakeMechanism.creds("alice", "secret"), "S: 235 2.7.0 Authentication successful",
                    "C: AUTH FAKE " + FakeMechanism.creds("alice", "secret"), "S: 503 5.5.1 Already authenticated",
                    "C: MAIL FROM:<alice@example.org>", "S: 250 2.1.0 Sender ok",
                    "C: RCPT TO:<bob@example.net>", "S: 250 *", "C: DATA", "S: 354 *", "C: hi", "C: .",
                    "S: 250 2.0.0 Ok: queued");
        }
        assertThat(rec.delivered).singleElement().satisfies(m -> assertThat(m.user()).isEqualTo("alice"));
        assertThat(rec.events).contains("auth alice");
    }

    @Test
    void authWithChallengeCancelAndMalformedResponses() throws Exception {
        String challenge = "334 " + Base64.getEncoder().encodeToString("Credentials?".getBytes());
        try (Dialog d = Dialog.connectTls(start(submission(ListenerKind.SUBMISSIONS)), client13())) {
            d.run("S: 220 smtp.test ESMTP Sealpost");
            ehlo(d);
            d.run("C: AUTH FAKE", "S: " + challenge, "C: *", "S: 501 5.0.0 Authentication cancelled",
                    "C: AUTH FAKE =", "S: " + challenge, "C: %%%", "S: 501 5.5.2 Cannot decode authentication response",
                    "C: AUTH FAKE", "S: " + challenge, "C: " + Base64.getEncoder().encodeToString("nonul".getBytes()),
                    "S: 501 5.5.2 Cannot decode authentication response",
                    "C: AUTH FAKE", "S: " + challenge, "C: " + FakeMechanism.creds("disabled-user", "secret"),
                    "S: 535 5.7.8 Account disabled",
                    "C: AUTH FAKE", "S: " + challenge, "C: " + FakeMechanism.creds("bob", "secret"),
                    "S: 235 2.7.0 Authentication successful");
        }
    }

    @Test
    void implicitTlsSubmissionAndChannelBinding() throws Exception {
        try (Dialog d = Dialog.connectTls(start(submission(ListenerKind.SUBMISSIONS)), client13())) {
            d.run("S: 220 smtp.test ESMTP Sealpost");
            List<String> caps = ehlo(d);
            assertThat(caps).doesNotContain("STARTTLS").contains("REQUIRETLS", "AUTH FAKE-PLUS FAKE FAKE-PLAIN");
            // success with additional data: 334 with the data, empty client answer, then 235 (RFC 4954 §4)
            d.run("C: AUTH FAKE-PLUS " + FakeMechanism.creds("carol", "secret"),
                    "S: 334 " + Base64.getEncoder().encodeToString("v=ok".getBytes()),
                    "C: ", "S: 235 2.7.0 Authentication successful");
            byte[] clientSide = ((ExtendedSSLSession) d.sslSocket().getSession())
                    .exportKeyingMaterialData("EXPORTER-Channel-Binding", new byte[0], 32);
            ChannelBinding serverSide = plus.lastBinding().get();
            assertThat(serverSide.type()).isEqualTo("tls-exporter");
            assertThat(serverSide.data()).hasSize(32).isEqualTo(clientSide);
        }
    }

    @Test
    void noPlusMechanismOnTls12() throws Exception {
        try (Dialog d = Dialog.connectTls(start(submission(ListenerKind.SUBMISSIONS)), TestTls.client("TLSv1.2"))) {
            d.run("S: 220 *");
            assertThat(d.sslSocket().getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(ehlo(d)).contains("AUTH FAKE FAKE-PLAIN");
            d.run("C: AUTH FAKE-PLUS " + FakeMechanism.creds("carol", "secret"), "S: 504 5.5.4 *");
        }
    }

    @Test
    void plaintextAuthBeforeTlsOnlyWhenConfigured() throws Exception {
        SmtpServerConfig cfg = new SmtpServerConfig("smtp.test", ListenerKind.SUBMISSION, anyPort(), null,
                List.of(plus, hashed, plain), true, true, SmtpServerConfig.Limits.defaults());
        try (Dialog d = Dialog.connect(start(cfg))) {
            d.run("S: 220 *");
            assertThat(ehlo(d)).contains("AUTH FAKE FAKE-PLAIN").noneMatch(l -> l.contains("STARTTLS"));
            d.run("C: AUTH FAKE-PLAIN " + FakeMechanism.creds("dave", "secret"), "S: 235 2.7.0 *");
        }
    }

    @Test
    void loginGateDelaysAndBlocks() throws Exception {
        var settings = new LoginThrottle.Settings(0, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMinutes(10), 2, 100);
        LoginGate gate = new LoginGate(new LoginThrottle(java.time.Clock.systemUTC(), settings));
        try (LoginLog log = LoginLog.capture();
             Dialog d = Dialog.connectTls(start(submission(ListenerKind.SUBMISSIONS), gate), client13())) {
            d.run("S: 220 *");
            ehlo(d);
            long t0 = System.nanoTime();
            d.run("C: AUTH FAKE " + FakeMechanism.creds("eve", "guess1"), "S: 535 5.7.8 *");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            d.run("C: AUTH FAKE " + FakeMechanism.creds("eve", "guess2"), "S: 535 5.7.8 *",
                    "C: AUTH FAKE " + FakeMechanism.creds("eve", "secret"), "S: 454 4.7.0 *");
            assertThat(log.lines()).hasSize(3);
            assertThat(log.lines().get(0)).startsWith("auth failed proto=smtp mech=FAKE user=- ip=127.0.0.1 reason=bad-password session=");
            assertThat(log.lines().get(2)).startsWith("auth refused proto=smtp mech=FAKE user=- ip=127.0.0.1 reason=throttled session=");
        }
    }

    @Test
    void authNotDuringATransaction() throws Exception {
        SmtpServerConfig cfg = new SmtpServerConfig("smtp.test", ListenerKind.SUBMISSION, anyPort(), null,
                List.of(hashed), true, false, SmtpServerConfig.Limits.defaults());
        try (Dialog d = Dialog.connect(start(cfg))) {
            d.run("S: 220 *");
            ehlo(d);
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *",
                    "C: AUTH FAKE " + FakeMechanism.creds("alice", "secret"), "S: 503 5.5.1 AUTH not allowed during a mail transaction");
        }
    }
}
