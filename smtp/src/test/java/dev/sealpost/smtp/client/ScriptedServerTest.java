package dev.sealpost.smtp.client;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.testkit.TestTls;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a scripted fake server: behaviour our own server never shows. */
class ScriptedServerTest {
    static final ClientSettings SHORT = ClientSettings.defaults().withTimeouts(ClientSettings.Timeouts.uniform(Duration.ofSeconds(3)));
    static final String SIMPLE = "Subject: hi\r\n\r\nHello.\r\n";

    static EmailAddress addr(String s) {
        return EmailAddress.parse(s).orElseThrow();
    }

    static MessageSource msg(String text) {
        return MessageSource.of(text.getBytes(StandardCharsets.UTF_8));
    }

    static Envelope env(String... to) {
        return Envelope.of(addr("a@example.org"), java.util.Arrays.stream(to).map(ScriptedServerTest::addr).toList());
    }

    @Test
    void pipeliningSendsMailRcptAndDataInOneGo() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING", "SIZE 1000000", "8BITMIME", "DSN");
            // no reply before all four commands arrived: a client that waits would time out
            s.expect("MAIL FROM:<a@example.org> SIZE=");
            s.expect("RCPT TO:<b@example.net>");
            s.expect("RCPT TO:<c@example.net>");
            s.expect("DATA");
            s.send("250 2.1.0 ok", "250 2.1.5 ok", "550 5.1.1 unknown", "354 go");
            s.data();
            s.send("250 2.0.0 queued");
            s.expect("QUIT");
            s.send("221 bye");
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(env("b@example.net", "c@example.net"), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(r.recipients()).extracting(RecipientResult::outcome).containsExactly(Outcome.ACCEPTED, Outcome.PERMFAIL);
            c.quit();
            f.await();
            assertThat(f.received).contains("Subject: hi\r\n\r\nHello.\r\n");
        }
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("8BITMIME");
            s.expect("MAIL FROM:<a@example.org>");
            Thread.sleep(200);
            if (s.available() != 0) throw new AssertionError("client pipelined without PIPELINING");
            s.send("250 ok");
            s.expect("RCPT TO:<b@example.net>");
            Thread.sleep(200);
            if (s.available() != 0) throw new AssertionError("client pipelined without PIPELINING");
            s.send("250 ok");
            s.expect("DATA");
            s.send("354 go");
            s.data();
            s.send("250 queued");
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            assertThat(c.send(env("b@example.net"), msg(SIMPLE)).outcome()).isEqualTo(Outcome.ACCEPTED);
            f.await();
            // no SIZE offered: no SIZE parameter; 7-bit body: no BODY parameter
            assertThat(f.received).contains("MAIL FROM:<a@example.org>");
        }
    }

    @Test
    void bdatChunksAreFramedExactlyAndNotDotStuffed() throws Exception {
        String content = "Subject: bdat\r\n\r\n.dot line\r\nbare\nend";
        String expected = "Subject: bdat\r\n\r\n.dot line\r\nbare\r\nend\r\n";
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("CHUNKING", "8BITMIME");
            s.expect("MAIL FROM:");
            s.send("250 ok");
            s.expect("RCPT TO:");
            s.send("250 ok");
            while (true) {
                String cmd = s.expect("BDAT ");
                String[] p = cmd.split(" ");
                int n = Integer.parseInt(p[1]);
                if (n > 10) throw new AssertionError("chunk larger than configured: " + cmd);
                got.write(s.bytes(n));
                if (p.length == 3 && p[2].equals("LAST")) {
                    s.send("250 2.0.0 all " + got.size());
                    break;
                }
                s.send("250 2.0.0 " + n + " octets");
            }
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT.withChunkSize(10))) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(env("b@example.net"), msg(content));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
            f.await();
            assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
            assertThat(f.received).noneMatch(l -> l.startsWith("DATA"));
        }
    }

    @Test
    void eightBitMessageIsDowngradedForAServerWithout8BitMime() throws Exception {
        byte[] binary = {0, 1, (byte) 0xff, (byte) 0x80, 'a', '\r', '\n', 'b'};
        String text = "Gr\u00fc\u00dfe aus K\u00f6ln = 100 \u20ac \r\n.line with dot\r\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("MIME-Version: 1.0\r\nSubject: ascii only\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "preamble\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + text
                + "\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(binary);
        b.writeBytes("\r\n--b1\r\nContent-Type: text/plain\r\n\r\nplain ascii\r\n--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING", "SIZE 1000000");
            s.expect("MAIL");
            s.expect("RCPT");
            s.expect("DATA");
            s.send("250 ok", "250 ok", "354 go");
            s.data();
            s.send("250 queued");
        });
        try (f; SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            assertThat(c.send(env("b@example.net").withBody(BodyType.EIGHT_BIT_MIME), MessageSource.of(b.toByteArray())).outcome())
                    .isEqualTo(Outcome.ACCEPTED);
            f.await();
        }
        String mail = f.received.stream().filter(l -> l.startsWith("MAIL")).findFirst().orElseThrow();
        assertThat(mail).doesNotContain("BODY="); // RFC 6152: nothing 8-bit is announced to a 7-bit server
        String data = f.received.get(f.received.size() - 1);
        for (char ch : data.toCharArray()) assertThat((int) ch).isLessThan(0x80);
        String unstuffed = data.replace("\r\n..", "\r\n.");
        assertThat(unstuffed).contains("Content-Transfer-Encoding: quoted-printable").contains("Content-Transfer-Encoding: base64")
                .doesNotContain("Content-Transfer-Encoding: 8bit").contains("preamble\r\n--b1\r\n").endsWith("--b1--\r\n")
                .contains("\r\n\r\nplain ascii\r\n--b1--");
        // the text part decodes back to the original UTF-8 text
        String qp = between(unstuffed, "quoted-printable\r\n\r\n", "\r\n--b1");
        assertThat(new String(decodeQp(qp), StandardCharsets.UTF_8)).isEqualTo(text);
        String b64 = between(unstuffed, "base64\r\n\r\n", "\r\n--b1");
        assertThat(Base64.getMimeDecoder().decode(b64)).isEqualTo(binary);
    }

    static String between(String s, String from, String to) {
        int a = s.indexOf(from) + from.length();
        return s.substring(a, s.indexOf(to, a));
    }

    static byte[] decodeQp(String qp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = qp.replace("=\r\n", "");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    @Test
    void eightBitHeaderCannotBeDowngraded() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING");
            s.expect("QUIT");
            s.send("221 bye");
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(env("b@example.net").withBody(BodyType.EIGHT_BIT_MIME),
                    msg("MIME-Version: 1.0\r\nSubject: Gr\u00fc\u00dfe\r\n\r\nx\r\n"));
            assertThat(r.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(r.reply().enhanced()).isEqualTo("5.6.3");
            assertThat(r.reply().lines().getFirst()).contains("Conversion required but not supported");
            assertThat(r.fromPeer()).isFalse();
            c.quit();
            f.await();
            assertThat(f.received).noneMatch(l -> l.startsWith("MAIL"));
        }
    }

    @Test
    void smtpUtf8RequiredButNotOffered() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING", "8BITMIME");
            // the third message needs nothing: it goes, without SMTPUTF8
            s.expect("MAIL FROM:<a@example.org> BODY=8BITMIME");
            s.expect("RCPT");
            s.expect("DATA");
            s.send("250 ok", "250 ok", "354 go");
            s.data();
            s.send("250 queued");
            s.expect("QUIT");
            s.send("221 bye");
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            DeliveryResult utf8Address = c.send(Envelope.of(addr("a@example.org"), List.of(addr("\u00fcser@example.net"))), msg(SIMPLE));
            assertThat(utf8Address.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(utf8Address.reply().enhanced()).isEqualTo("5.6.7");
            DeliveryResult utf8Header = c.send(env("b@example.net").withSmtpUtf8(true).withBody(BodyType.EIGHT_BIT_MIME),
                    msg("Subject: \u00e9t\u00e9\r\n\r\nx\r\n"));
            assertThat(utf8Header.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(utf8Header.reply().enhanced()).isEqualTo("5.6.7");
            DeliveryResult asciiOnly = c.send(env("b@example.net").withSmtpUtf8(true).withBody(BodyType.EIGHT_BIT_MIME),
                    msg("Subject: plain\r\n\r\n\u00e9t\u00e9\r\n"));
            assertThat(asciiOnly.outcome()).isEqualTo(Outcome.ACCEPTED);
            c.quit();
            f.await();
            assertThat(f.received).filteredOn(l -> l.startsWith("MAIL")).singleElement()
                    .satisfies(l -> assertThat(l).doesNotContain("SMTPUTF8"));
        }
    }

    @Test
    void requireTlsRefusedWhenTheServerDoesNotOfferIt() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("STARTTLS", "PIPELINING");
            s.expect("STARTTLS");
            s.send("220 2.0.0 go ahead");
            s.startTls(TestTls.server());
            s.expect("EHLO client.test");
            s.send("250-fake.test", "250 PIPELINING"); // no REQUIRETLS
            s.expect("QUIT");
            s.send("221 bye");
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT.withPkixTrust(TestTls.trust()))) {
            c.ehlo("client.test");
            assertThat(c.startTls(TestTls.client("TLS"), "localhost", TlsRequirement.PKIX).authenticated()).isTrue();
            DeliveryResult r = c.send(env("b@example.net").withRequireTls(true), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(r.reply().enhanced()).isEqualTo("5.7.30");
            assertThat(r.reply().lines().getFirst()).contains("REQUIRETLS support required");
            c.quit();
            f.await();
            assertThat(f.received).noneMatch(l -> l.startsWith("MAIL"));
        }
    }

    @Test
    void connectionDropAfterTheFinalDotMeansPossiblyDelivered() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING");
            s.expect("MAIL");
            s.expect("RCPT");
            s.expect("DATA");
            s.send("250 ok", "250 ok", "354 go");
            s.data();
            s.close(); // gone before the reply
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(env("b@example.net"), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.TEMPFAIL);
            assertThat(r.possiblyDelivered()).isTrue();
            assertThat(r.fromPeer()).isFalse();
            assertThat(r.recipients()).singleElement().satisfies(x -> assertThat(x.outcome()).isEqualTo(Outcome.TEMPFAIL));
            assertThat(c.isOpen()).isFalse();
            f.await();
        }
    }

    @Test
    void connectionDropBeforeTheEndOfDataIsAPlainTempfail() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo();
            s.expect("MAIL");
            s.close();
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(env("b@example.net"), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.TEMPFAIL);
            assertThat(r.possiblyDelivered()).isFalse();
            f.await();
        }
    }

    @Test
    void timeoutWaitingForTheFinalReply() throws Exception {
        ClientSettings.Timeouts t = ClientSettings.Timeouts.uniform(Duration.ofSeconds(3));
        t = new ClientSettings.Timeouts(t.connect(), t.greeting(), t.command(), t.mail(), t.rcpt(), t.dataInit(), t.dataBlock(),
                Duration.ofMillis(300));
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING");
            s.expect("MAIL");
            s.expect("RCPT");
            s.expect("DATA");
            s.send("250 ok", "250 ok", "354 go");
            s.data();
            Thread.sleep(2000); // never answers in time
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT.withTimeouts(t))) {
            c.ehlo("client.test");
            long start = System.nanoTime();
            DeliveryResult r = c.send(env("b@example.net"), msg(SIMPLE));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.outcome()).isEqualTo(Outcome.TEMPFAIL);
            assertThat(r.possiblyDelivered()).isTrue();
            assertThat(r.reply().lines().getFirst()).startsWith("Timeout");
            assertThat(ms).isLessThan(1500);
        }
    }

    @Test
    void greetingTimeout() throws Exception {
        try (FakeServer f = new FakeServer(s -> Thread.sleep(2000))) {
            ClientSettings quick = SHORT.withTimeouts(new ClientSettings.Timeouts(Duration.ofSeconds(2), Duration.ofMillis(200),
                    Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)));
            long start = System.nanoTime();
            assertThatThrownBy(() -> SmtpClient.connect(f.address(), quick)).isInstanceOf(SocketTimeoutException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500);
        }
    }

    @Test
    void stalledWritesAreCutByTheDataBlockTimeout() throws Exception {
        ClientSettings.Timeouts t = ClientSettings.Timeouts.uniform(Duration.ofSeconds(3));
        t = new ClientSettings.Timeouts(t.connect(), t.greeting(), t.command(), t.mail(), t.rcpt(), t.dataInit(), Duration.ofMillis(300), t.dataFinal());
        long total = 256L << 20; // more than any socket buffer
        MessageSource endless = new MessageSource() {
            @Override public long size() { return total; }
            @Override public InputStream open() {
                return new InputStream() {
                    long left = total;
                    @Override public int read() { return left-- > 0 ? 'x' : -1; }
                    @Override public int read(byte[] b, int off, int len) {
                        if (left <= 0) return -1;
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) (n % 2 == 0 ? 'x' : '\n'));
                        left -= n;
                        return n;
                    }
                };
            }
        };
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING");
            s.expect("MAIL");
            s.expect("RCPT");
            s.expect("DATA");
            s.send("250 ok", "250 ok", "354 go");
            Thread.sleep(4000); // stops reading
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT.withTimeouts(t))) {
            c.ehlo("client.test");
            long start = System.nanoTime();
            DeliveryResult r = c.send(env("b@example.net"), endless);
            assertThat(r.outcome()).isEqualTo(Outcome.TEMPFAIL);
            assertThat(r.possiblyDelivered()).isFalse();
            assertThat(r.reply().lines().getFirst()).startsWith("Timeout");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
        }
    }

    @Test
    void heloFallbackWhenEhloIsNotRecognised() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.send("220 old.test SMTP");
            s.expect("EHLO client.test");
            s.send("502 5.5.2 Command not recognized");
            s.expect("HELO client.test");
            s.send("250 old.test");
            s.expect("MAIL FROM:<a@example.org>");
            s.send("250 ok");
            s.expect("RCPT TO:<b@example.net>");
            s.send("250 ok");
            s.expect("DATA");
            s.send("354 go");
            s.data();
            s.send("250 ok");
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            Capabilities caps = c.ehlo("client.test");
            assertThat(caps.extended()).isFalse();
            assertThat(caps.serverName()).isEqualTo("old.test");
            Envelope e = new Envelope(addr("a@example.org"), List.of(new Envelope.Recipient(addr("b@example.net"), List.of("SUCCESS"), "rfc822;b@example.net")),
                    BodyType.SEVEN_BIT, false, false, "FULL", "x");
            assertThat(c.send(e, msg(SIMPLE)).outcome()).isEqualTo(Outcome.ACCEPTED);
            f.await();
            // no ESMTP parameters to a server without extensions
            assertThat(f.received).contains("MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>");
        }
    }

    @Test
    void dataAfterThe220ToStartTlsIsResponseInjection() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("STARTTLS");
            s.expect("STARTTLS");
            s.send("220 go ahead", "250 injected");
            Thread.sleep(500);
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.startTls(TestTls.client("TLS"), "localhost", TlsRequirement.OPPORTUNISTIC))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> assertThat(e.kind()).isEqualTo(SmtpClientException.Kind.PROTOCOL));
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void startTlsRefusedLeavesThePlainConnectionUsable() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("STARTTLS");
            s.expect("STARTTLS");
            s.send("454 4.7.0 TLS not available");
            s.expect("NOOP");
            s.send("250 ok");
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.startTls(TestTls.client("TLS"), "localhost", TlsRequirement.OPPORTUNISTIC))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SmtpClientException.Kind.REFUSED);
                        assertThat(e.connectionUsable()).isTrue();
                        assertThat(e.temporary()).isTrue();
                    });
            assertThat(c.noop().code()).isEqualTo(250);
            f.await();
        }
    }

    @Test
    void a421InTheMiddleFailsEveryoneTemporarily() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING");
            s.expect("MAIL");
            s.expect("RCPT");
            s.expect("RCPT");
            s.expect("DATA");
            s.send("250 ok", "421 4.3.2 shutting down");
            s.close();
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(env("b@example.net", "c@example.net"), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.TEMPFAIL);
            assertThat(r.possiblyDelivered()).isFalse();
            assertThat(r.recipients()).extracting(x -> x.reply().code()).containsExactly(421, 421);
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void pipelinedDataAcceptedWithoutRecipientsGetsAnEmptyEnd() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("PIPELINING");
            s.expect("MAIL");
            s.expect("RCPT");
            s.expect("DATA");
            s.send("250 ok", "550 5.1.1 no", "354 go"); // a server that should have said 554
            String content = s.data();
            if (!content.isEmpty()) throw new AssertionError("content sent without recipients: " + content);
            s.send("554 5.5.1 no valid recipients");
            s.expect("RSET");
            s.send("250 ok");
            s.expect("MAIL");
            s.expect("RCPT");
            s.expect("DATA");
            s.send("250 ok", "250 ok", "354 go");
            s.data();
            s.send("250 ok");
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT)) {
            c.ehlo("client.test");
            DeliveryResult r = c.send(env("b@example.net"), msg(SIMPLE));
            assertThat(r.outcome()).isEqualTo(Outcome.PERMFAIL);
            assertThat(r.reply().enhanced()).isEqualTo("5.1.1");
            assertThat(c.send(env("d@example.net"), msg(SIMPLE)).outcome()).isEqualTo(Outcome.ACCEPTED);
            f.await();
        }
    }

    @Test
    void scramServerWithABadSignatureIsRejected() throws Exception {
        try (FakeServer f = new FakeServer(s -> {
            s.greetAndEhlo("AUTH SCRAM-SHA-256");
            String first = s.expect("AUTH SCRAM-SHA-256 ").substring("AUTH SCRAM-SHA-256 ".length());
            String cf = new String(Base64.getDecoder().decode(first), StandardCharsets.UTF_8);
            String nonce = cf.substring(cf.indexOf("r=") + 2);
            s.send("334 " + Base64.getEncoder().encodeToString(("r=" + nonce + "srv,s=" + Base64.getEncoder().encodeToString(new byte[16])
                    + ",i=4096").getBytes(StandardCharsets.UTF_8)));
            s.line();
            s.send("334 " + Base64.getEncoder().encodeToString("v=AAAA".getBytes(StandardCharsets.UTF_8)));
            Thread.sleep(300);
        }); SmtpConnection c = SmtpClient.connect(f.address(), SHORT.withAllowPlaintextAuth(true))) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.auth(AuthMechanism.SCRAM_SHA_256, "u", "p".toCharArray()))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SmtpClientException.Kind.PROTOCOL);
                        assertThat(e.getMessage()).contains("server signature invalid");
                    });
            assertThat(c.isOpen()).isFalse();
        }
    }
}
