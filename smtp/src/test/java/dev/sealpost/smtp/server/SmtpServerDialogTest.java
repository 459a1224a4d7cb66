package dev.sealpost.smtp.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SmtpServerDialogTest extends ServerTestBase {

    private static final String[] EHLO_MX_PLAIN = {
            "S: 250-mx.test", "S: 250-PIPELINING", "S: 250-SIZE 36700160", "S: 250-8BITMIME", "S: 250-SMTPUTF8",
            "S: 250-ENHANCEDSTATUSCODES", "S: 250-CHUNKING", "S: 250-BINARYMIME", "S: 250 DSN"};

    private Dialog mx() throws Exception {
        return mx(mxConfig());
    }

    private Dialog mx(SmtpServerConfig cfg) throws Exception {
        Dialog d = Dialog.connect(start(cfg));
        d.run("S: 220 mx.test ESMTP Sealpost");
        return d;
    }

    private Dialog mxEhlo(SmtpServerConfig cfg) throws Exception {
        Dialog d = mx(cfg);
        d.run("C: EHLO client.test");
        d.readReply();
        return d;
    }

    private static SmtpServerConfig.Limits limits() {
        return SmtpServerConfig.Limits.defaults();
    }

    @Test
    void greetingEhloAndQuit() throws Exception {
        try (Dialog d = mx()) {
            d.run("C: EHLO client.test");
            d.run(EHLO_MX_PLAIN);
            d.run("C: QUIT", "S: 221 2.0.0 mx.test closing connection", "S: <closed>");
        }
        assertThat(rec.events).containsSequence("open MX", "helo client.test");
    }

    @Test
    void heloHasNoExtensionsNoEnhancedCodesAndNoParameters() throws Exception {
        try (Dialog d = mx()) {
            d.run("C: NOOP", "S: 250 Ok",
                    "C: HELO client.test", "S: 250 mx.test",
                    "C: MAIL FROM:<a@example.org> SIZE=10", "S: 555 Parameter not recognized",
                    "C: MAIL FROM:<a@example.org>", "S: 250 Sender ok",
                    "C: RCPT TO:<b@example.net> NOTIFY=NEVER", "S: 555 Parameter not recognized",
                    "C: QUIT", "S: 221 mx.test closing connection");
        }
    }

    @Test
    void everySimpleCommand() throws Exception {
        try (Dialog d = mx(mxConfig().withLimits(limits().withMaxErrors(100)))) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 503 Send EHLO or HELO first",
                    "C: EHLO client.test");
            d.readReply();
            d.run("C: NOOP", "S: 250 2.0.0 Ok",
                    "C: NOOP anything", "S: 250 2.0.0 Ok",
                    "C: VRFY postmaster", "S: 252 2.5.0 Cannot VRFY user*",
                    "C: VRFY", "S: 501 5.5.4 VRFY requires an argument",
                    "C: EXPN staff", "S: 502 5.5.1 EXPN not available",
                    "C: HELP", "S: 214 2.0.0 *",
                    "C: FOO bar", "S: 500 5.5.2 Command unrecognized",
                    "C: RSET", "S: 250 2.0.0 Ok",
                    "C: RSET now", "S: 501 5.5.4 RSET takes no arguments",
                    "C: RCPT TO:<b@example.net>", "S: 503 5.5.1 Need MAIL command",
                    "C: DATA", "S: 503 5.5.1 Need MAIL command",
                    "C: STARTTLS", "S: 502 5.5.1 STARTTLS not available",
                    "C: AUTH PLAIN", "S: 503 5.5.1 AUTH not available",
                    "C: mail from:<a@example.org>", "S: 250 2.1.0 Sender ok",
                    "C: MAIL FROM:<a@example.org>", "S: 503 5.5.1 Nested MAIL command",
                    "C: DATA", "S: 554 5.5.1 No valid recipients",
                    "C: RCPT TO:<b@example.net>", "S: 250 2.1.5 Recipient ok",
                    "C: DATA now", "S: 501 5.5.4 DATA takes no arguments",
                    "C: RSET", "S: 250 2.0.0 Ok",
                    "C: DATA", "S: 503 5.5.1 Need MAIL command",
                    "C: QUIT now", "S: 501 5.5.4 QUIT takes no arguments",
                    "C: QUIT", "S: 221 2.0.0 mx.test closing connection", "S: <closed>");
        }
        assertThat(rec.delivered).isEmpty();
    }

    @Test
    void messageWithDotUnstuffing() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<alice@example.org> BODY=8BITMIME SIZE=100 RET=HDRS ENVID=QQ+2B1",
                    "S: 250 2.1.0 Sender ok",
                    "C: RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+40example.net",
                    "S: 250 2.1.5 Recipient ok",
                    "C: DATA", "S: 354 End data with <CR><LF>.<CR><LF>",
                    "C: Subject: hi", "C: ", "C: ..leading dot", "C: .x", "C: body", "C: .",
                    "S: 250 2.0.0 Ok: queued",
                    "C: QUIT", "S: 221 *");
        }
        assertThat(rec.delivered).hasSize(1);
        Recorder.Delivered m = rec.delivered.getFirst();
        assertThat(m.text()).isEqualTo("Subject: hi\r\n\r\n.leading dot\r\nx\r\nbody\r\n");
        assertThat(m.tx().reversePath().toString()).isEqualTo("alice@example.org");
        assertThat(m.tx().bodyType()).isEqualTo("8BITMIME");
        assertThat(m.tx().declaredSize()).isEqualTo(100);
        assertThat(m.tx().dsnRet()).isEqualTo("HDRS");
        assertThat(m.tx().dsnEnvid()).isEqualTo("QQ+1");
        assertThat(m.tx().recipients()).singleElement().satisfies(r -> {
            assertThat(r.address().toString()).isEqualTo("bob@example.net");
            assertThat(r.dsnNotify()).containsExactly("SUCCESS", "FAILURE");
            assertThat(r.orcpt()).isEqualTo("rfc822;bob@example.net");
        });
        assertThat(rec.events).endsWith("begin", "commit 38", "reset");
    }

    @Test
    void emptyMessageAndNullSender() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<>", "S: 250 2.1.0 Sender ok",
                    "C: RCPT TO:<Postmaster>", "S: 250 2.1.5 Recipient ok",
                    "C: DATA", "S: 354 *", "C: .", "S: 250 2.0.0 Ok: queued");
        }
        Recorder.Delivered m = rec.delivered.getFirst();
        assertThat(m.content()).isEmpty();
        assertThat(m.tx().reversePath()).isNull();
        // RFC 5321 §4.5.1: the bare postmaster is ours
        assertThat(m.tx().recipients().getFirst().address().toString()).isEqualTo("postmaster@mx.test");
    }

    @Test
    void sourceRoutesAddressLiteralsAndQuotedLocalParts() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<@relay.test,@[192.0.2.9]:alice@example.org>", "S: 250 2.1.0 Sender ok",
                    "C: RCPT TO:<bob@[192.0.2.1]>", "S: 250 2.1.5 Recipient ok",
                    "C: RCPT TO:<carol@[IPv6:2001:db8::1]>", "S: 250 2.1.5 Recipient ok",
                    "C: RCPT TO:<\"john doe\"@example.net>", "S: 250 2.1.5 Recipient ok",
                    "C: RCPT TO: <spaced@example.net>", "S: 250 2.1.5 Recipient ok",
                    "C: RCPT TO:<bob@[999.1.1.1]>", "S: 501 5.1.3 Bad recipient address syntax",
                    "C: RCPT TO:<>", "S: 501 5.1.3 Null recipient not allowed",
                    "C: RCPT TO:bob@example.net", "S: 501 5.5.4 Syntax: RCPT TO:<address> [parameters]");
        }
        assertThat(rec.sawMailFrom("<alice@example.org>")).isTrue();
        assertThat(rec.recipients).extracting(r -> r.address().domain())
                .containsExactly("[192.0.2.1]", "[IPv6:2001:db8::1]", "example.net", "example.net");
        assertThat(rec.recipients.get(2).address().localPart()).isEqualTo("john doe");
    }

    @Test
    void smtpUtf8AndParameterChecks() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<jörg@example.org>", "S: 553 5.6.7 Non-ASCII address requires SMTPUTF8",
                    "C: MAIL FROM:<a@example.org> SIZE=36700161", "S: 552 5.3.4 *",
                    "C: MAIL FROM:<a@example.org> REQUIRETLS", "S: 555 5.5.4 REQUIRETLS needs a TLS connection",
                    "C: MAIL FROM:<a@example.org> FOO=bar", "S: 555 5.5.4 Parameter not recognized",
                    "C: MAIL FROM:<a@example.org> BODY=9BIT", "S: 501 5.5.4 Invalid BODY value",
                    "C: MAIL FROM:<a@example.org>", "S: 250 2.1.0 Sender ok",
                    "C: RCPT TO:<bjørn@example.net>", "S: 553 5.6.7 Non-ASCII address requires SMTPUTF8",
                    "C: RSET", "S: 250 2.0.0 Ok",
                    "C: MAIL FROM:<jörg@example.org> SMTPUTF8", "S: 250 2.1.0 Sender ok",
                    "C: RCPT TO:<bjørn@bücher.example>", "S: 250 2.1.5 Recipient ok",
                    "C: RCPT TO:<x@example.net> NOTIFY=NEVER,SUCCESS", "S: 501 5.5.4 NOTIFY=NEVER must be alone");
        }
        assertThat(rec.recipients.getFirst().address().domain()).isEqualTo("xn--bcher-kva.example");
        assertThat(rec.recipients.getFirst().address().localPart()).isEqualTo("bjørn");
    }

    @Test
    void handlerRejections() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<blocked@example.org>", "S: 550 5.7.1 Sender blocked",
                    "C: MAIL FROM:<a@example.org>", "S: 250 2.1.0 Sender ok",
                    "C: RCPT TO:<reject@example.net>", "S: 550 5.1.1 No such user",
                    "C: DATA", "S: 554 5.5.1 No valid recipients");
        }
    }

    @Test
    void pipelinedGroupGetsItsRepliesInOrder() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<reject@example.net>\r\n"
                    + "RCPT TO:<c@example.net>\r\nDATA\r\n");
            d.run("S: 250 2.1.0 Sender ok", "S: 250 2.1.5 Recipient ok", "S: 550 5.1.1 No such user",
                    "S: 250 2.1.5 Recipient ok", "S: 354 *");
            d.send("hello\r\n.\r\nRSET\r\nNOOP\r\n");
            d.run("S: 250 2.0.0 Ok: queued", "S: 250 2.0.0 Ok", "S: 250 2.0.0 Ok");
        }
        assertThat(rec.delivered).singleElement().satisfies(m ->
                assertThat(m.tx().recipients()).extracting(r -> r.address().localPart()).containsExactly("b", "c"));
    }

    /** SMTP smuggling: none of these may end the data; the real end comes later and the message is refused. */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\n", "\r\n.\r", "\r\n.\rX\r\n", "mid\nline\r\n", "mid\rline\r\n"})
    void smugglingIsRefusedAndNeverStartsASecondTransaction(String trick) throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: DATA", "S: 354 *");
            d.send("Subject: test\r\n\r\nbody" + trick
                    + "MAIL FROM:<smuggled@evil.test>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\nforged\r\n.\r\n");
            d.run("S: 550 5.6.0 Message rejected: bare CR or LF not allowed*",
                    "C: NOOP", "S: 250 2.0.0 Ok"); // nothing else was answered in between
        }
        assertThat(rec.sawMailFrom("<smuggled@evil.test>")).isFalse();
        assertThat(rec.events).doesNotContain("rcpt victim@example.net");
        assertThat(rec.delivered).isEmpty();
        assertThat(rec.aborted).isEqualTo(1);
    }

    @Test
    void bdatChunksAreBinarySafe() throws Exception {
        byte[] binary = {0, 1, '\r', 'x', '\n', '\r', '\n', '.', '\r', '\n', (byte) 0xff, (byte) 0x80};
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<a@example.org> BODY=BINARYMIME", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: DATA", "S: 503 5.5.1 BODY=BINARYMIME requires BDAT");
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            chunk.writeBytes(("BDAT " + binary.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunk.writeBytes(binary);
            d.send(chunk.toByteArray());
            d.run("S: 250 2.0.0 12 octets received",
                    "C: DATA", "S: 503 5.5.1 DATA not allowed after BDAT",
                    "C: RCPT TO:<late@example.net>", "S: 503 5.5.1 Need MAIL command");
            d.send("BDAT 3\r\nEND");
            d.run("S: 250 2.0.0 3 octets received", "C: BDAT 0 LAST", "S: 250 2.0.0 Ok: queued");
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(binary);
        expected.writeBytes("END".getBytes(StandardCharsets.US_ASCII));
        assertThat(rec.delivered).singleElement().satisfies(m -> {
            assertThat(m.content()).isEqualTo(expected.toByteArray());
            assertThat(m.tx().bodyType()).isEqualTo("BINARYMIME");
        });
    }

    @Test
    void bdatLastInOneGoAndPipelinedWithTheEnvelope() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nBDAT 5 LAST\r\nHello");
            d.run("S: 250 2.1.0 Sender ok", "S: 250 2.1.5 Recipient ok", "S: 250 2.0.0 Ok: queued");
        }
        assertThat(rec.delivered.getFirst().text()).isEqualTo("Hello");
    }

    @Test
    void bdatOutOfSequenceConsumesTheChunkFirst() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            // the chunk text looks like commands: it must be eaten as data, not executed
            d.send("BDAT 12\r\nNOOP\r\nNOOP\r\n");
            d.run("S: 503 5.5.1 Need MAIL command");
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *");
            d.send("BDAT 6 LAST\r\nRSET\r\n");
            d.run("S: 503 5.5.1 No valid recipients", "C: NOOP", "S: 250 2.0.0 Ok");
            d.run("C: BDAT x", "S: 501 5.5.4 Syntax: BDAT chunk-size [LAST]", "S: <closed>");
        }
        assertThat(rec.delivered).isEmpty();
    }

    @Test
    void messageSizeLimitForDataAndBdat() throws Exception {
        SmtpServerConfig cfg = mxConfig().withLimits(limits().withMaxMessageSize(100));
        try (Dialog d = mxEhlo(cfg)) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: DATA", "S: 354 *");
            d.send("x".repeat(60) + "\r\n" + "y".repeat(60) + "\r\n.\r\n");
            d.run("S: 552 5.3.4 Message size exceeds fixed maximum message size", "C: NOOP", "S: 250 2.0.0 Ok");
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *");
            d.send("BDAT 60\r\n" + "x".repeat(60));
            d.run("S: 250 2.0.0 60 octets received");
            d.send("BDAT 60\r\n" + "y".repeat(60));
            d.run("S: 552 5.3.4 *");
            d.send("BDAT 10 LAST\r\n" + "z".repeat(10));
            d.run("S: 503 5.5.1 Need MAIL command", "C: NOOP", "S: 250 2.0.0 Ok");
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: BDAT 1000000", "S: 552 5.3.4 *", "S: <closed>");
        }
        assertThat(rec.delivered).isEmpty();
        assertThat(rec.aborted).isEqualTo(3);
    }

    @Test
    void exactlyMaxSizeIsAccepted() throws Exception {
        SmtpServerConfig cfg = mxConfig().withLimits(limits().withMaxMessageSize(12));
        try (Dialog d = mxEhlo(cfg)) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: DATA", "S: 354 *", "C: 0123456789", "C: .", "S: 250 2.0.0 Ok: queued");
        }
        assertThat(rec.delivered.getFirst().content()).hasSize(12);
    }

    @Test
    void recipientLimit() throws Exception {
        SmtpServerConfig cfg = mxConfig().withLimits(limits().withMaxRecipients(2));
        try (Dialog d = mxEhlo(cfg)) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *",
                    "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: RCPT TO:<c@example.net>", "S: 250 *",
                    "C: RCPT TO:<d@example.net>", "S: 452 4.5.3 Too many recipients");
        }
    }

    @Test
    void errorLimitClosesWith421() throws Exception {
        SmtpServerConfig cfg = mxConfig().withLimits(limits().withMaxErrors(2));
        try (Dialog d = mxEhlo(cfg)) {
            d.run("C: FOO", "S: 500 5.5.2 Command unrecognized",
                    "C: BAR", "S: 500 5.5.2 Command unrecognized",
                    "C: BAZ", "S: 421 4.7.0 mx.test Too many errors, closing connection", "S: <closed>");
        }
    }

    @Test
    void idleTimeoutCloses() throws Exception {
        SmtpServerConfig cfg = mxConfig().withLimits(limits().withIdleTimeout(Duration.ofMillis(300)));
        try (Dialog d = mx(cfg)) {
            d.run("S: 421 mx.test Timeout, closing connection", "S: <closed>");
        }
    }

    @Test
    void dataTimeoutAbortsTheMessage() throws Exception {
        SmtpServerConfig cfg = mxConfig().withLimits(limits().withDataTimeout(Duration.ofMillis(300)));
        try (Dialog d = mxEhlo(cfg)) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: DATA", "S: 354 *", "C: partial");
            d.run("S: 421 4.4.2 *", "S: <closed>");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> rec.aborted == 1);
        assertThat(rec.delivered).isEmpty();
    }

    @Test
    void overlongLinesAreRefusedWithoutLosingSync() throws Exception {
        SmtpServerConfig cfg = mxConfig().withLimits(limits().withMaxLineLength(100));
        try (Dialog d = mxEhlo(cfg)) {
            d.run("C: NOOP " + "x".repeat(200), "S: 500 5.5.2 Line too long",
                    "C: NOOP " + "y".repeat(20_000), "S: 500 5.5.2 Line too long",
                    "C: NOOP", "S: 250 2.0.0 Ok");
            d.send("NOOP\n");
            d.run("S: 500 5.5.2 Bare LF in command line not allowed");
            d.send("NO\rOP\r\n");
            d.run("S: 500 5.5.2 Invalid character in command line");
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: DATA", "S: 354 *", "C: " + "z".repeat(101), "C: .", "S: 552 5.3.4 Message line too long",
                    "C: NOOP", "S: 250 2.0.0 Ok");
        }
        assertThat(rec.delivered).isEmpty();
    }

    @Test
    void commitFailureGives451() throws Exception {
        rec.failCommit = true;
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *",
                    "C: DATA", "S: 354 *", "C: hi", "C: .", "S: 451 4.3.0 Local error in processing, try again later",
                    "C: MAIL FROM:<a@example.org>", "S: 250 2.1.0 Sender ok");
        }
    }

    @Test
    void factoryRefusalReplacesTheGreeting() throws Exception {
        rec.refuseConnection = true;
        try (Dialog d = Dialog.connect(start(mxConfig()))) {
            d.run("S: 554 No SMTP service here", "S: <closed>");
        }
    }

    @Test
    void ehloResetsTheTransaction() throws Exception {
        try (Dialog d = mxEhlo(mxConfig())) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: EHLO again.test");
            List<String> lines = d.readReply();
            assertThat(lines).first().isEqualTo("250-mx.test");
            d.run("C: RCPT TO:<b@example.net>", "S: 503 5.5.1 Need MAIL command");
        }
    }

    @Test
    void closingTheServerEndsSessions() throws Exception {
        SmtpServer server = new SmtpServer(mxConfig(), rec);
        server.start();
        try (Dialog d = Dialog.connect(server.port())) {
            d.run("S: 220 *");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openSessions() == 1);
            server.close();
            d.run("S: <closed>");
            assertThat(server.openSessions()).isZero();
        }
    }
}
