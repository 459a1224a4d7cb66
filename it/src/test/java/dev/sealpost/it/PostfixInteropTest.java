package dev.sealpost.it;

import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.it.postfix.PrivatePostfix;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.testkit.Peers;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Postfix 3.7 (a private instance, PEERS.md) on both sides of our SMTP:
 * <ul>
 *   <li>as the receiving MTA of our outbound queue: {@code queue.transports} routes
 *       {@code remote.test} to Postfix's smtpd, we deliver over STARTTLS with its certificate
 *       trusted through {@code queue.tls_ca}, and Postfix's virtual(8) writes the Maildir;</li>
 *   <li>as a sender through our MX: Postfix's {@code sendmail} injects a message that its smtp
 *       client relays ({@code relayhost = [127.0.0.1]:<our MX port>}) to a local account.</li>
 * </ul>
 * Skipped without Postfix (or without root, which its master needs) unless
 * SEALPOST_REQUIRE_INTEROP=1. Postfix is always stopped in {@link #stop()}.
 */
@Timeout(120)
class PostfixInteropTest {
    static final String REMOTE = "remote.test";
    static final String POSTFIX_HOST = "postfix.test";
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TestServer server;
    static PrivatePostfix postfix;

    @BeforeAll
    @Timeout(180)
    static void start() throws Exception {
        Optional<String> missing = PrivatePostfix.unavailable();
        if (missing.isPresent()) Peers.missing(missing.get());
        // Postfix's daemons run as the postfix user: they must be able to enter the temp dir
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pf = dir.resolve("postfix");
        Path cert = pf.resolve("etc/cert.pem");
        Path key = pf.resolve("etc/key.pem");
        Files.createDirectories(cert.getParent());
        TlsFiles.writeSelfSigned(cert, key, POSTFIX_HOST, List.of(POSTFIX_HOST, "localhost"), List.of("127.0.0.1"));
        int smtpdPort = PrivatePostfix.freePort();
        // the DNS Sealpost sees: Postfix's host may send for its own domain (SPF pass at our MX)
        String zone = """
                $TTL 300
                postfix.test.  IN A   127.0.0.1
                postfix.test.  IN TXT "v=spf1 ip4:127.0.0.1 -all"
                """;
        server = new TestServer(dir.resolve("sealpost"), "", zone, """
                [queue]
                transports = ["%s = 127.0.0.1:%d"]
                tls_ca = "%s"
                """.formatted(REMOTE, smtpdPort, cert));
        postfix = PrivatePostfix.start(pf, new PrivatePostfix.Settings(smtpdPort, POSTFIX_HOST, REMOTE, List.of("bob"),
                "[127.0.0.1]:" + server.port(ListenerKind.MX), cert, key));
    }

    @AfterAll
    static void stop() {
        try {
            if (postfix != null) postfix.close();
        } finally {
            if (server != null) server.close();
        }
    }

    /** Jakarta Mail through our submission port: STARTTLS required, then AUTH. */
    static void submit(String to, String subject, String body) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.port(ListenerKind.SUBMISSION)));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.trust", "127.0.0.1");
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(p, new jakarta.mail.Authenticator() {
            @Override
            protected jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
                return new jakarta.mail.PasswordAuthentication(TestServer.USER, TestServer.PASSWORD);
            }
        });
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(TestServer.USER));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText(body);
        Transport.send(m);
    }

    @Test
    void ourQueueDeliversToPostfixOverStarttls() throws Exception {
        String marker = "to-postfix-" + UUID.randomUUID();
        submit("bob@" + REMOTE, marker, "from Sealpost's queue to Postfix's Maildir\n");

        String delivered = postfix.awaitMessage("bob", marker, WAIT);
        // Postfix's own trace: it received the message from us, over TLS (its Received says so)
        assertThat(delivered).contains("Subject: " + marker).contains("from Sealpost's queue to Postfix's Maildir")
                .contains("by " + POSTFIX_HOST + " (Postfix) with ESMTPS").contains("(using TLSv1.")
                .contains("Return-Path: <" + TestServer.USER + ">")
                .contains("from mx.example.test");
        // and its log: STARTTLS from our client, then virtual(8) delivery
        assertThat(postfix.awaitLogLine(WAIT, "postfix/smtpd", "TLS connection established from")).contains("127.0.0.1");
        // the session summary: EHLO again after STARTTLS, the message sent with BDAT (CHUNKING, RFC 3030) or DATA
        assertThat(postfix.awaitLogLine(WAIT, java.util.regex.Pattern.compile(
                "postfix/smtpd\\[\\d+\\]: disconnect from .* ehlo=2 starttls=1 mail=1 rcpt=1 (bdat|data)=1 quit=1"))).isNotEmpty();
        assertThat(postfix.awaitLogLine(WAIT, "postfix/virtual", "to=<bob@" + REMOTE + ">", "status=sent")).contains("delivered to maildir");
    }

    @Test
    void postfixRefusalOfAnUnknownUserBouncesToTheSender() throws Exception {
        String marker = "to-nobody-" + UUID.randomUUID();
        submit("nobody@" + REMOTE, marker, "nobody is home\n");
        // Postfix refuses at RCPT (550 5.1.1 User unknown in virtual mailbox table); our queue returns a DSN
        String dsn = server.awaitContent(TestServer.USER, marker);
        assertThat(dsn).contains("Content-Type: multipart/report").contains("report-type=delivery-status")
                .contains("Final-Recipient: rfc822; nobody@" + REMOTE).contains("Action: failed")
                .contains("Status: 5.1.1").containsIgnoringCase("user unknown");
        assertThat(postfix.awaitLogLine(WAIT, "postfix/smtpd", "NOQUEUE: reject", "nobody@" + REMOTE)).contains("550 5.1.1");
    }

    @Test
    void postfixRelaysThroughOurMxToALocalAccount() throws Exception {
        String marker = "from-postfix-" + UUID.randomUUID();
        PrivatePostfix.Result r = postfix.sendmail("carol@" + POSTFIX_HOST, TestServer.USER,
                "From: Carol <carol@" + POSTFIX_HOST + ">\nTo: " + TestServer.USER + "\nSubject: " + marker + "\n\nrelayed by Postfix\n");
        assertThat(r.exit()).as(r.output()).isZero();

        String stored = server.awaitContent(TestServer.USER, marker);
        // our Received field on top: Postfix's EHLO name, its address, STARTTLS (ESMTPS), no AUTH
        assertThat(stored).startsWith("Return-Path: <carol@" + POSTFIX_HOST + ">\r\n")
                .contains("Received: from " + POSTFIX_HOST + " ([127.0.0.1])\r\n\tby mx.example.test (Sealpost) with ESMTPS id ")
                .contains("by " + POSTFIX_HOST + " (Postfix, from userid 0)")
                .contains("Subject: " + marker).contains("relayed by Postfix");
        String sent = postfix.awaitLogLine(WAIT, "postfix/smtp[", "to=<" + TestServer.USER + ">", "status=sent");
        assertThat(sent).contains("relay=127.0.0.1[127.0.0.1]:" + server.port(ListenerKind.MX)).contains("dsn=2.0.0");
        assertThat(postfix.awaitLogLine(WAIT, "postfix/smtp[", "TLS connection established to 127.0.0.1")).isNotEmpty();
    }
}
