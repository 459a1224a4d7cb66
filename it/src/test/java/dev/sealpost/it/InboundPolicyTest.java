package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** MX/submission policy before "250": quotas, loops, trace fields, outbound hand-off. */
class InboundPolicyTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
        server.store().directory().addAccount("small@example.test", "small password 1".toCharArray());
        server.store().directory().setQuota("small@example.test", 2000);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String send(SmtpClient c, String rcpt, String content) throws Exception {
        assertThat(c.cmd("MAIL FROM:<x@elsewhere.test>")).startsWith("250");
        String r = c.cmd("RCPT TO:<" + rcpt + ">");
        if (!r.startsWith("250")) return r;
        assertThat(c.cmd("DATA")).startsWith("354");
        return c.cmd(content + "\r\n.");
    }

    @Test
    void quotaIsEnforcedAtRcptWithTheRightCodes() throws Exception {
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            c.reply();
            c.cmd("EHLO client.test");
            // a declared size that can never fit: permanent (RFC 1870 §6.2, RFC 3463 5.2.2)
            assertThat(c.cmd("MAIL FROM:<x@elsewhere.test> SIZE=5000")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<small@example.test>")).startsWith("552 5.2.2");
            assertThat(c.cmd("RSET")).startsWith("250");
            // fill the mailbox, then the next message is refused for now (452 4.2.2)
            assertThat(send(c, "small@example.test", "Subject: fill\r\n\r\n" + "y".repeat(2500))).startsWith("250");
        }
        server.awaitInbox("small@example.test", 1);
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            c.reply();
            c.cmd("EHLO client.test");
            assertThat(send(c, "small@example.test", "Subject: more\r\n\r\nhi")).startsWith("452 4.2.2");
        }
        assertThat(server.store().directory().account("small@example.test").orElseThrow().usedBytes()).isGreaterThan(2000);
    }

    @Test
    void largeMessageSpillsToDiskAndArrivesByteForByte() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 3 * 1024 * 1024; i++) body.append("line ").append(i).append(' ').append("z".repeat(70)).append("\r\n");
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            c.reply();
            c.cmd("EHLO client.test");
            assertThat(send(c, "bob@example.test", "Subject: big\r\n\r\n" + body.substring(0, body.length() - 2))).startsWith("250");
        }
        String m = server.awaitContent("bob@example.test", "Subject: big");
        assertThat(m).endsWith("Subject: big\r\n\r\n" + body);
        assertThat(java.nio.file.Files.list(dir.resolve("data/tmp")).count()).as("content buffers removed").isZero();
    }

    @Test
    void mailLoopsAreRefused() throws Exception {
        String hops = "Received: from a by b; Mon, 23 Nov 2026 06:00:00 +0000\r\n".repeat(51);
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            c.reply();
            c.cmd("EHLO client.test");
            assertThat(send(c, "bob@example.test", hops + "Subject: loop\r\n\r\nx")).startsWith("554 5.4.6");
            // 50 hops is still fine
            String fifty = "Received: from a by b; Mon, 23 Nov 2026 06:00:00 +0000\r\n".repeat(50);
            assertThat(send(c, "bob@example.test", fifty + "Subject: ok\r\n\r\nx")).startsWith("250");
        }
    }

    @Test
    void mxMessageGetsReturnPathAndReceivedWithTheHelo() throws Exception {
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            c.reply();
            c.cmd("EHLO client.test");
            assertThat(send(c, "bob@example.test", "Subject: trace\r\n\r\nx")).startsWith("250 2.0.0");
        }
        String m = server.awaitContent("bob@example.test", "Subject: trace");
        // trace block on top: Return-Path, our Authentication-Results, our Received (RFC 5321 §4.4, RFC 8601 §5)
        assertThat(m).startsWith("Return-Path: <x@elsewhere.test>\r\nAuthentication-Results: mx.example.test;\r\n\tspf=none smtp.mailfrom=x@elsewhere.test;");
        assertThat(m).contains("\r\nReceived: from client.test ([127.0.0.1])\r\n\tby mx.example.test (Sealpost) with ESMTP id ");
        assertThat(m).containsPattern("\tfor <bob@example.test>;\r\n\t\\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\r\nSubject: trace");
    }

    @Test
    void smtpUtf8AndChunkingReachTheMailbox() throws Exception {
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            c.reply();
            assertThat(c.cmd("EHLO client.test")).contains("SMTPUTF8").contains("CHUNKING").contains("8BITMIME");
            // RFC 6531: a UTF-8 reverse-path is only allowed with the SMTPUTF8 parameter
            assertThat(c.cmd("MAIL FROM:<jörg@bücher.test>")).startsWith("553 5.6.7");
            assertThat(c.cmd("MAIL FROM:<jörg@bücher.test> SMTPUTF8 BODY=8BITMIME")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@example.test>")).startsWith("250");
            byte[] body = "Subject: Grüße\r\nFrom: jörg@bücher.test\r\n\r\nÇa va?\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // RFC 3030: BDAT carries the exact octet count, no dot-stuffing
            c.send("BDAT " + body.length + " LAST");
            c.sendRaw(body);
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
        String m = server.awaitContent("bob@example.test", "Subject: Grüße");
        assertThat(m).startsWith("Return-Path: <jörg@xn--bcher-kva.test>\r\n").contains("with UTF8SMTP id")
                .endsWith("Subject: Grüße\r\nFrom: jörg@bücher.test\r\n\r\nÇa va?\r\n");
    }

    @Test
    void submissionToAnotherDomainGoesOutboundAndBouncesForANonexistentDomain() throws Exception {
        Peers.require("swaks");
        Peers.Result r = Peers.run(List.of("swaks", "--server", "127.0.0.1", "--port", "" + server.port(ListenerKind.SUBMISSION),
                "--tls", "--auth", "PLAIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD,
                "--from", TestServer.USER, "--to", "bob@example.test,friend@remote.test", "--header", "Subject: mixed",
                "--timeout", "20"), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        String m = server.awaitContent("bob@example.test", "Subject: mixed");
        assertThat(m).startsWith("Received: ").doesNotContain("Return-Path:").contains("with ESMTPSA");
        // the outbound queue takes the remote recipient; remote.test does not exist in this test's DNS,
        // so the sender gets an RFC 3464 bounce for it (and only for it)
        String dsn = server.awaitContent(TestServer.USER, "Final-Recipient: rfc822; friend@remote.test");
        assertThat(dsn).startsWith("Return-Path: <>").contains("report-type=delivery-status")
                .contains("Action: failed").contains("Status: 5.1.2").doesNotContain("Final-Recipient: rfc822; bob@example.test");
    }
}
