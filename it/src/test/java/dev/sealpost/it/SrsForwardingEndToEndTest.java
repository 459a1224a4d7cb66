package dev.sealpost.it;

import dev.sealpost.auth.spf.SpfResult;
import dev.sealpost.auth.spf.SpfSettings;
import dev.sealpost.auth.spf.SpfVerifier;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.SieveScripts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Forwarding with SRS through the whole server (issue 15): a Sieve redirect to another domain
 * reaches the remote MTA (a capturing SMTP sink on 127.0.0.1) with an SRS0 sender whose SPF check
 * against the planted zone passes where the original sender's fails; a bounce to that address
 * reaches the original sender; a forged SRS address is refused at RCPT; vacation answers once per
 * sender and not to list mail.
 */
class SrsForwardingEndToEndTest {
    static final String ZONE = """
            $TTL 300
            far.test.          IN MX  10 mx.far.test.
            mx.far.test.       IN A   127.0.0.1
            origin.test.       IN MX  10 mx.origin.test.
            mx.origin.test.    IN A   127.0.0.1
            origin.test.       IN TXT "v=spf1 ip4:192.0.2.1 -all"
            example.test.      IN TXT "v=spf1 ip4:127.0.0.1 -all"
            """;

    /** One transaction the sink received. */
    record Received(String mailFrom, List<String> rcpts, String data) {}

    /** The remote MTA of far.test and origin.test: accepts everything, records each transaction. */
    static final class SinkMta implements AutoCloseable {
        final ServerSocket server;
        final List<Received> received = new CopyOnWriteArrayList<>();

        SinkMta() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> session(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void session(Socket s) {
            try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                 OutputStream out = s.getOutputStream()) {
                send(out, "220 sink.test ESMTP");
                String from = null;
                List<String> rcpts = new ArrayList<>();
                String l;
                while ((l = in.readLine()) != null) {
                    String u = l.toUpperCase(Locale.ROOT);
                    if (u.startsWith("EHLO")) send(out, "250-sink.test\r\n250-8BITMIME\r\n250 PIPELINING");
                    else if (u.startsWith("MAIL FROM:")) {
                        from = l.substring(l.indexOf('<') + 1, l.indexOf('>'));
                        rcpts = new ArrayList<>();
                        send(out, "250 2.1.0 ok");
                    } else if (u.startsWith("RCPT TO:")) {
                        rcpts.add(l.substring(l.indexOf('<') + 1, l.indexOf('>')));
                        send(out, "250 2.1.5 ok");
                    } else if (u.startsWith("DATA")) {
                        send(out, "354 go");
                        StringBuilder data = new StringBuilder();
                        String d;
                        while ((d = in.readLine()) != null && !d.equals(".")) data.append(d).append("\r\n");
                        received.add(new Received(from, List.copyOf(rcpts), data.toString()));
                        send(out, "250 2.0.0 queued");
                    } else if (u.startsWith("QUIT")) {
                        send(out, "221 bye");
                        return;
                    } else send(out, "250 ok");
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static void send(OutputStream out, String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Received awaitTo(String rcpt, String marker) {
            await().atMost(Duration.ofSeconds(30)).until(() -> find(rcpt, marker) != null);
            return find(rcpt, marker);
        }

        Received find(String rcpt, String marker) {
            return received.stream().filter(r -> r.rcpts().contains(rcpt) && r.data().contains(marker)).findFirst().orElse(null);
        }

        long count(String rcpt) {
            return received.stream().filter(r -> r.rcpts().contains(rcpt)).count();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    TestServer start(SinkMta sink) throws IOException {
        TestServer server = new TestServer(dir.resolve("server"), "", ZONE, """
                [queue]
                mx_port = %d
                dane = false
                mta_sts = false
                [auth]
                enabled = false
                """.formatted(sink.server.getLocalPort()));
        open.add(server);
        return server;
    }

    static void activate(TestServer server, String account, String script) {
        long id = server.accountId(account);
        assertThat(server.store().sieveScripts().put(id, "main", script, SieveScripts.Quota.unlimited()))
                .isEqualTo(new SieveScripts.Outcome.Done());
        assertThat(server.store().sieveScripts().setActive(id, "main")).isEqualTo(new SieveScripts.Outcome.Done());
    }

    /** One SMTP transaction to the MX; returns the RCPT reply (and sends the content when it was 250). */
    static String smtp(TestServer server, String from, String rcpt, String content) throws IOException {
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            c.reply();
            c.cmd("EHLO client.origin.test");
            assertThat(c.cmd("MAIL FROM:<" + from + ">")).startsWith("250");
            String r = c.cmd("RCPT TO:<" + rcpt + ">");
            if (!r.startsWith("250")) return r;
            assertThat(c.cmd("DATA")).startsWith("354");
            assertThat(c.cmd(content + "\r\n.")).startsWith("250");
            c.cmd("QUIT");
            return r;
        }
    }

    @Test
    void redirectLeavesWithAnSrsSenderThatPassesSpfAndItsBounceReturns() throws Exception {
        SinkMta sink = new SinkMta();
        open.add(sink);
        TestServer server = start(sink);
        activate(server, "bob@example.test", "redirect \"carol@far.test\";\n");
        smtp(server, "sender@origin.test", "bob@example.test",
                "From: <sender@origin.test>\r\nTo: bob@example.test\r\nSubject: redirect me\r\n\r\nhello\r\n");

        Received got = sink.awaitTo("carol@far.test", "redirect me");
        assertThat(got.mailFrom()).startsWith("SRS0=").endsWith("=origin.test=sender@example.test");
        assertThat(got.data()).contains("X-Sealpost-Redirected: bob@example.test");
        assertThat(server.inbox("bob@example.test")).isEmpty();

        // what `bin/sealpost check spf` runs, against the planted zone: the next hop sees our address pass,
        // where the original sender, sent on from our IP address, would fail
        SpfVerifier spf = new SpfVerifier(ZoneResolver.fromMasterText(ZONE, "."), Clock.systemUTC(), SpfSettings.defaults());
        InetAddress ours = InetAddress.getByName("127.0.0.1");
        assertThat(spf.checkMailFrom(ours, got.mailFrom(), "mx.example.test").result()).isEqualTo(SpfResult.PASS);
        assertThat(spf.checkMailFrom(ours, "sender@origin.test", "mx.example.test").result()).isEqualTo(SpfResult.FAIL);

        // far.test bounces to the SRS address: it is checked and sent on to the original sender, null sender kept
        assertThat(smtp(server, "", got.mailFrom(),
                "From: MAILER-DAEMON@far.test\r\nSubject: Undelivered: redirect me\r\n\r\nno such user\r\n")).startsWith("250");
        Received bounce = sink.awaitTo("sender@origin.test", "Undelivered: redirect me");
        assertThat(bounce.mailFrom()).isEmpty();

        // a forged one (another domain under the same hash) and a made-up one are refused at RCPT
        String forged = got.mailFrom().replace("=origin.test=", "=victim.test=");
        assertThat(smtp(server, "", forged, "")).startsWith("550 5.1.1");
        assertThat(smtp(server, "", "SRS0=abcd=AA=victim.test=x@example.test", "")).startsWith("550 5.1.1");
    }

    @Test
    void vacationAnswersOncePerSenderAndNeverToListMail() throws Exception {
        SinkMta sink = new SinkMta();
        open.add(sink);
        TestServer server = start(sink);
        activate(server, "bob@example.test", "require \"vacation\";\nvacation :days 3 :subject \"Out of office\" \"Back next week.\";\n");
        String to = "To: bob@example.test\r\n";
        smtp(server, "x@origin.test", "bob@example.test", "From: <x@origin.test>\r\n" + to + "Subject: first\r\n\r\nhi\r\n");
        Received reply = sink.awaitTo("x@origin.test", "Out of office");
        assertThat(reply.mailFrom()).isEmpty(); // RFC 5230 §5.1
        assertThat(reply.data()).contains("Auto-Submitted: auto-replied").contains("Back next week.");
        smtp(server, "x@origin.test", "bob@example.test", "From: <x@origin.test>\r\n" + to + "Subject: second\r\n\r\nhi\r\n");
        smtp(server, "y@origin.test", "bob@example.test",
                "From: <y@origin.test>\r\n" + to + "Precedence: list\r\nSubject: list mail\r\n\r\nhi\r\n");
        smtp(server, "z@origin.test", "bob@example.test", "From: <z@origin.test>\r\n" + to + "Subject: third\r\n\r\nhi\r\n");
        // z's reply comes after the other two messages were delivered (one local delivery loop, in order)
        sink.awaitTo("z@origin.test", "Out of office");
        server.awaitInbox("bob@example.test", 4);
        Thread.sleep(1000); // every reply was spooled before its message was filed; give a second one to x time to arrive
        assertThat(sink.count("x@origin.test")).isEqualTo(1);
        assertThat(sink.count("y@origin.test")).isZero();
        assertThat(server.inbox("bob@example.test")).hasSize(4);
    }
}
