package dev.sealpost.smtp.client;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.core.sasl.CredentialLookup;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.smtp.server.SmtpServerConfig;
import dev.sealpost.testkit.TestTls;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against our own SMTP server (real sockets, ephemeral ports). */
class SmtpClientTest {
    static final ClientSettings FAST = ClientSettings.defaults().withTimeouts(ClientSettings.Timeouts.uniform(Duration.ofSeconds(10)));

    static EmailAddress addr(String s) {
        return EmailAddress.parse(s).orElseThrow();
    }

    static MessageSource msg(String text) {
        return MessageSource.of(text.getBytes(StandardCharsets.UTF_8));
    }

    static final String SIMPLE = "From: a@example.org\r\nTo: b@example.net\r\nSubject: hi\r\n\r\nHello.\r\n";

    @Test
    void plainSendWithPipeliningAndChunking() throws Exception {
        try (RecordingServer srv = RecordingServer.mx(null);
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            assertThat(c.greeting().code()).isEqualTo(220);
            Capabilities caps = c.ehlo("client.test");
            assertThat(caps.extended()).isTrue();
            assertThat(caps.serverName()).isEqualTo("mx.test");
            assertThat(caps.pipelining()).isTrue();
            assertThat(caps.chunking()).isTrue();
            assertThat(caps.eightBitMime()).isTrue();
            assertThat(caps.dsn()).isTrue();
            assertThat(caps.enhancedStatusCodes()).isTrue();
            assertThat(caps.size()).isEqualTo(35L * 1024 * 1024);
            assertThat(caps.startTls()).isFalse(); // no TLS context on this server

            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"), addr("c@example.net"))), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(r.fromPeer()).isTrue();
            assertThat(r.reply().code()).isEqualTo(250);
            assertThat(r.reply().enhanced()).isEqualTo("2.0.0");
            assertThat(r.recipients()).extracting(RecipientResult::outcome).containsExactly(Outcome.ACCEPTED, Outcome.ACCEPTED);
            assertThat(c.quit().code()).isEqualTo(221);
            assertThat(c.isOpen()).isFalse();
        }
        // (the server's close waits for the session to end)
    }

    @Test
    void chunkedContentArrivesIntact() throws Exception {
        String body = "Subject: chunks\r\n\r\n" + "0123456789abcdef\r\n".repeat(50);
        try (RecordingServer srv = RecordingServer.mx(null);
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST.withChunkSize(37))) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))), msg(body));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(srv.delivered).singleElement().satisfies(d -> assertThat(d.text()).isEqualTo(body));
        }
    }

    @Test
    void dataPathDotStuffingAndLineEndsRoundTrip() throws Exception {
        String sent = "Subject: dots\r\n\r\n.\r\n..two\r\n.leading\r\nbare LF\nbare CR\rend.\r\n.";
        String expected = "Subject: dots\r\n\r\n.\r\n..two\r\n.leading\r\nbare LF\r\nbare CR\r\nend.\r\n.\r\n";
        try (RecordingServer srv = RecordingServer.mx(null);
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST.withUseChunking(false))) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))), msg(sent));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(srv.delivered).singleElement().satisfies(d -> assertThat(d.text()).isEqualTo(expected));
        }
    }

    @Test
    void mixedRecipientResults() throws Exception {
        try (RecordingServer srv = RecordingServer.mx(null);
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"),
                    List.of(addr("reject@example.net"), addr("later@example.net"), addr("ok@example.net"))), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(r.recipients()).extracting(RecipientResult::outcome)
                    .containsExactly(Outcome.PERMFAIL, Outcome.TEMPFAIL, Outcome.ACCEPTED);
            assertThat(r.recipients()).extracting(x -> x.reply().code()).containsExactly(550, 450, 250);
            assertThat(r.recipients().get(0).reply().enhanced()).isEqualTo("5.1.1");
            assertThat(r.recipients().get(0).reply().lines()).containsExactly("No such user");
            assertThat(r.recipients(Outcome.ACCEPTED)).extracting(RecipientResult::address).containsExactly(addr("ok@example.net"));
            assertThat(srv.delivered).singleElement().satisfies(d ->
                    assertThat(d.tx().recipients()).extracting(x -> x.address().localPart()).containsExactly("ok"));
        }
    }

    @Test
    void noRecipientAcceptedThenTheConnectionIsReused() throws Exception {
        try (RecordingServer srv = RecordingServer.mx(null);
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST.withUseChunking(false))) {
            c.ehlo("client.test");
            DeliveryResult r1 = c.send(Envelope.of(addr("a@example.org"), List.of(addr("reject@example.net"), addr("later@example.net"))), msg(SIMPLE));
            assertThat(r1.outcome()).isEqualTo(Outcome.TEMPFAIL); // one of them may work later
            assertThat(r1.recipients()).extracting(RecipientResult::outcome).containsExactly(Outcome.PERMFAIL, Outcome.TEMPFAIL);
            DeliveryResult r2 = c.send(Envelope.of(addr("blocked@example.org"), List.of(addr("x@example.net"))), msg(SIMPLE));
            assertThat(r2.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(r2.reply().enhanced()).isEqualTo("5.7.1");
            assertThat(r2.recipients()).singleElement().satisfies(x -> assertThat(x.outcome()).isEqualTo(Outcome.PERMFAIL));
            DeliveryResult r3 = c.send(Envelope.of(addr("a@example.org"), List.of(addr("x@example.net"))), msg(SIMPLE));
            assertThat(r3.outcome()).isEqualTo(Outcome.ACCEPTED);
            DeliveryResult r4 = c.send(Envelope.of(null, List.of(addr("y@example.net"))), msg(SIMPLE));
            assertThat(r4.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(c.rset().code()).isEqualTo(250);
            assertThat(c.noop().code()).isEqualTo(250);
        }
    }

    @Test
    void sizeOverTheAnnouncedLimitIsNotSent() throws Exception {
        try (RecordingServer srv = RecordingServer.mx(null, SmtpServerConfig.Limits.defaults().withMaxMessageSize(1000));
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            assertThat(c.ehlo("client.test").size()).isEqualTo(1000);
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))),
                    msg("Subject: big\r\n\r\n" + "x".repeat(5000) + "\r\n"));
            assertThat(r.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(r.fromPeer()).isFalse();
            assertThat(r.reply().code()).isEqualTo(552);
            assertThat(r.reply().enhanced()).isEqualTo("5.3.4");
            assertThat(srv.events).noneMatch(e -> e.startsWith("mail"));
        }
    }

    @Test
    void sizeRefusedByTheServerAtTheEndOfData() throws Exception {
        byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(5000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        MessageSource lying = new MessageSource() { // claims to be small: the server must refuse at the end
            @Override public long size() { return 100; }
            @Override public InputStream open() { return new java.io.ByteArrayInputStream(big); }
        };
        for (boolean chunking : new boolean[]{true, false}) {
            try (RecordingServer srv = RecordingServer.mx(null, SmtpServerConfig.Limits.defaults().withMaxMessageSize(1000));
                 SmtpConnection c = SmtpClient.connect(srv.address(), FAST.withUseChunking(chunking).withChunkSize(400))) {
                // chunks under the limit: refused at the third chunk, the server drains it and stays
                c.ehlo("client.test");
                DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))), lying);
                assertThat(r.outcome()).as("chunking " + chunking).isEqualTo(Outcome.PERMFAIL);
                assertThat(r.fromPeer()).isTrue();
                assertThat(r.reply().code()).isEqualTo(552);
                assertThat(srv.delivered).isEmpty();
                // the connection is still in sync
                assertThat(c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))), msg(SIMPLE)).outcome())
                        .isEqualTo(Outcome.ACCEPTED);
            }
        }
    }

    @Test
    void dsnParametersRoundTrip() throws Exception {
        Envelope env = new Envelope(addr("a@example.org"), List.of(
                new Envelope.Recipient(addr("b@example.net"), List.of("success", "FAILURE"), "rfc822;B+x=y@Example.net"),
                new Envelope.Recipient(addr("c@example.net"), List.of("NEVER"), null)),
                BodyType.EIGHT_BIT_MIME, false, false, "HDRS", "env id+1=2");
        RecordingServer srv = RecordingServer.mx(null);
        try (srv; SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            c.ehlo("client.test");
            assertThat(c.send(env, msg("Subject: dsn\r\n\r\nGr\u00fc\u00dfe\r\n")).outcome()).isEqualTo(Outcome.ACCEPTED);
        }
        assertThat(srv.delivered).singleElement().satisfies(d -> {
            assertThat(d.tx().dsnRet()).isEqualTo("HDRS");
            assertThat(d.tx().dsnEnvid()).isEqualTo("env id+1=2");
            assertThat(d.tx().bodyType()).isEqualTo("8BITMIME");
            assertThat(d.tx().recipients()).hasSize(2);
            assertThat(d.tx().recipients().get(0).dsnNotify()).containsExactly("SUCCESS", "FAILURE");
            assertThat(d.tx().recipients().get(0).orcpt()).isEqualTo("rfc822;B+x=y@Example.net");
            assertThat(d.tx().recipients().get(1).dsnNotify()).containsExactly("NEVER");
            assertThat(d.tx().recipients().get(1).orcpt()).isNull();
            assertThat(d.text()).contains("Gr\u00fc\u00dfe");
        });
    }

    @Test
    void smtpUtf8IsSentWhenNeededAndOffered() throws Exception {
        RecordingServer srv = RecordingServer.mx(null);
        try (srv; SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            c.ehlo("client.test");
            assertThat(c.capabilities().smtpUtf8()).isTrue();
            DeliveryResult r = c.send(Envelope.of(addr("j\u00f6rg@example.org"), List.of(addr("b@example.net"))),
                    msg("Subject: \u00e9t\u00e9\r\n\r\nhi\r\n"));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
        }
        assertThat(srv.delivered).singleElement().satisfies(d -> {
            assertThat(d.tx().smtpUtf8()).isTrue();
            assertThat(d.tx().reversePath().localPart()).isEqualTo("j\u00f6rg");
        });
    }

    // ------------------------------------------------------------------ TLS

    @Test
    void opportunisticStartTlsRecordsAnUnvalidatedCertificate() throws Exception {
        RecordingServer srv = RecordingServer.mx(TestTls.server());
        try (srv; SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            assertThat(c.ehlo("client.test").startTls()).isTrue();
            assertThat(c.capabilities().requireTls()).isFalse();
            TlsOutcome tls = c.startTls(TestTls.client("TLS"), "localhost", TlsRequirement.OPPORTUNISTIC);
            assertThat(tls.pkixValid()).isFalse();
            assertThat(tls.authenticated()).isFalse();
            assertThat(tls.pkixProblem()).startsWith("chain not trusted");
            assertThat(tls.protocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(tls.cipherSuite()).startsWith("TLS_");
            assertThat(tls.peerChain()).singleElement().satisfies(x -> assertThat(x.getSubjectX500Principal().getName()).isEqualTo("CN=localhost"));
            // EHLO again after TLS: STARTTLS gone, REQUIRETLS now offered
            assertThat(c.capabilities().startTls()).isFalse();
            assertThat(c.capabilities().requireTls()).isTrue();
            assertThat(c.tls()).isSameAs(tls);
            assertThat(c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))), msg(SIMPLE)).outcome())
                    .isEqualTo(Outcome.ACCEPTED);
            // REQUIRETLS needs an authenticated server (RFC 8689 §4.2.1)
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))).withRequireTls(true), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(r.reply().enhanced()).isEqualTo("5.7.30");
            assertThat(r.fromPeer()).isFalse();
        }
        assertThat(srv.delivered).singleElement().satisfies(d -> assertThat(d.tls()).isTrue());
    }

    @Test
    void validatedStartTlsWhenTheCaIsTrustedAndRequireTlsGoesThrough() throws Exception {
        RecordingServer srv = RecordingServer.mx(TestTls.server());
        ClientSettings s = FAST.withPkixTrust(TestTls.trust());
        try (srv; SmtpConnection c = SmtpClient.connect(srv.address(), s)) {
            c.ehlo("client.test");
            TlsOutcome tls = c.startTls(TestTls.client("TLS"), "localhost", TlsRequirement.PKIX);
            assertThat(tls.pkixValid()).isTrue();
            assertThat(tls.pkixProblem()).isNull();
            assertThat(tls.authenticated()).isTrue();
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))).withRequireTls(true), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
        }
        assertThat(srv.delivered).singleElement().satisfies(d -> {
            assertThat(d.tls()).isTrue();
            assertThat(d.tx().requireTls()).isTrue();
        });
    }

    @Test
    void wildcardNameValidates() throws Exception {
        try (RecordingServer srv = RecordingServer.mx(TestTls.server());
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST.withPkixTrust(TestTls.trust()))) {
            c.ehlo("client.test");
            assertThat(c.startTls(TestTls.client("TLS"), "mx1.mx.test", TlsRequirement.PKIX).pkixValid()).isTrue();
        }
    }

    @Test
    void pkixRequirementFailsOnANameMismatch() throws Exception {
        try (RecordingServer srv = RecordingServer.mx(TestTls.server());
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST.withPkixTrust(TestTls.trust()))) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.startTls(TestTls.client("TLS"), "mx.other.test", TlsRequirement.PKIX))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SmtpClientException.Kind.TLS_CERTIFICATE);
                        assertThat(e.connectionUsable()).isFalse();
                        assertThat(e.getMessage()).contains("name mismatch");
                    });
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void trustManagerRequirementCountsAsAuthenticated() throws Exception {
        // as a DANE trust manager would: the handshake's trust manager decides
        try (RecordingServer srv = RecordingServer.mx(TestTls.server());
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            c.ehlo("client.test");
            TlsOutcome tls = c.startTls(TestTls.client("TLS"), "localhost", TlsRequirement.TRUST_MANAGER);
            assertThat(tls.pkixValid()).isFalse();
            assertThat(tls.authenticated()).isTrue();
        }
    }

    @Test
    void handshakeRefusedByTheTrustManagerClosesTheConnection() throws Exception {
        javax.net.ssl.SSLContext strict = javax.net.ssl.SSLContext.getInstance("TLS");
        javax.net.ssl.TrustManagerFactory f = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        f.init((java.security.KeyStore) null); // JDK anchors: our test certificate is unknown
        strict.init(null, f.getTrustManagers(), null);
        try (RecordingServer srv = RecordingServer.mx(TestTls.server());
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.startTls(strict, "localhost", TlsRequirement.TRUST_MANAGER))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> assertThat(e.kind()).isEqualTo(SmtpClientException.Kind.TLS_HANDSHAKE));
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void requireTlsWithoutTlsIsRefusedLocally() throws Exception {
        try (RecordingServer srv = RecordingServer.mx(null);
             SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))).withRequireTls(true), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(r.reply().enhanced()).isEqualTo("5.7.30");
            assertThat(r.fromPeer()).isFalse();
            assertThat(srv.events).noneMatch(e -> e.startsWith("mail"));
            assertThat(c.isOpen()).isTrue(); // other messages may still go
        }
    }

    // ------------------------------------------------------------------ AUTH

    private static final dev.sealpost.core.sasl.StoredCredentials CREDS = PasswordHasher.hash("s3cret p\u00e4ss".toCharArray(), 1000, 4096);
    private static final CredentialLookup ACCOUNTS = name -> name.equalsIgnoreCase("alice@example.org")
            ? Optional.of(new CredentialLookup.Account("alice@example.org", CREDS)) : Optional.empty();

    @Test
    void authMechanismsAgainstOurSubmissionServer() throws Exception {
        for (AuthMechanism m : AuthMechanism.values()) {
            RecordingServer srv = RecordingServer.submission(TestTls.server(), SaslMechanisms.standard(ACCOUNTS));
            try (srv; SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
                c.ehlo("client.test");
                assertThatThrownBy(() -> c.auth(m, "alice@example.org", "s3cret p\u00e4ss".toCharArray()))
                        .isInstanceOfSatisfying(SmtpClientException.class, e -> assertThat(e.kind())
                                .isIn(SmtpClientException.Kind.NOT_OFFERED, SmtpClientException.Kind.INSECURE));
                c.startTls(TestTls.client("TLS"), "localhost", TlsRequirement.OPPORTUNISTIC);
                assertThat(c.capabilities().authMechanisms()).contains(m.saslName());
                assertThat(c.auth(m, "alice@example.org", "s3cret p\u00e4ss".toCharArray()).code()).as(m.name()).isEqualTo(235);
                assertThat(c.authenticatedUser()).isEqualTo("alice@example.org");
                assertThat(c.send(Envelope.of(addr("alice@example.org"), List.of(addr("b@example.net"))), msg(SIMPLE)).outcome())
                        .isEqualTo(Outcome.ACCEPTED);
            }
            assertThat(srv.delivered).singleElement().satisfies(d -> assertThat(d.user()).isEqualTo("alice@example.org"));
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        for (AuthMechanism m : AuthMechanism.values()) {
            try (RecordingServer srv = RecordingServer.submission(TestTls.server(), SaslMechanisms.standard(ACCOUNTS));
                 SmtpConnection c = SmtpClient.connect(srv.address(), FAST)) {
                c.ehlo("client.test");
                c.startTls(TestTls.client("TLS"), "localhost", TlsRequirement.OPPORTUNISTIC);
                assertThatThrownBy(() -> c.auth(m, "alice@example.org", "wrong".toCharArray()))
                        .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                            assertThat(e.kind()).isEqualTo(SmtpClientException.Kind.REFUSED);
                            assertThat(e.reply().code()).isEqualTo(535);
                            assertThat(e.temporary()).isFalse();
                            assertThat(e.connectionUsable()).isTrue();
                        });
            }
        }
    }
}
