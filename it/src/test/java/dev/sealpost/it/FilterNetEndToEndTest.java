package dev.sealpost.it;

import dev.sealpost.app.Main;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Quarantine;
import dev.sealpost.store.Store;
import dev.sealpost.testkit.MutableClock;
import dev.sealpost.testkit.Peers;
import dev.sealpost.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter's network checks in the server with real peers (issue 14): swaks as the client, a
 * private clamd (Debian {@code clamav-daemon}) loading only a signature database this test writes
 * (the MD5 of EICAR's test string), and the DNS lists served over UDP by testkit's
 * {@link TestDnsServer} (the server's {@code [dns] servers} point at it). The server's clock is a
 * {@link MutableClock}, so the greylisting delay and the hourly windows are passed without waiting.
 * <ul>
 *   <li>a client at 127.0.0.2 (RFC 5782 §5's test address, listed) gets 554 5.7.1 naming the list at MAIL;</li>
 *   <li>a first attempt is greylisted with 451 4.7.1, a retry after the delay is accepted;
 *       an allow-listed sender domain is not greylisted;</li>
 *   <li>EICAR in an attachment: 554 5.7.1 naming the signature, nothing stored; a link to a
 *       URIBL-listed domain adds its hit to X-Spam-Status;</li>
 *   <li>submission: 452 4.5.3 past the recipients per hour, 450 4.7.1 past the messages per hour;</li>
 *   <li>an account sending spam-scored mail to many recipients: held in the quarantine (not
 *       queued for sending), the postmaster told; a release queues it without our verdict field;</li>
 *   <li>clamd stopped: 451 4.3.0.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FilterNetEndToEndTest {
    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*".getBytes(StandardCharsets.US_ASCII);
    static final String PASSWORD = TestServer.PASSWORD;

    static Path dir;
    static Process clamd;
    static TestDnsServer dns;
    static MutableClock clock = new MutableClock(Instant.now());
    static SealpostServer server;

    static final io.micrometer.core.instrument.simple.SimpleMeterRegistry METERS = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    /** The filter outcome counter (docs/metrics.md), as recorded since this class started. */
    static double outcomes(String outcome) {
        var c = METERS.find(dev.sealpost.core.metrics.Meters.FILTER_OUTCOMES).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @BeforeAll
    static void start() throws Exception {
        io.micrometer.core.instrument.Metrics.addRegistry(METERS);
        Peers.require("swaks");
        Peers.require("clamd");
        dir = Files.createTempDirectory("sp-filternet");
        int clamdPort = startClamd();
        // the lists: bl.lists.test (client IPs) and uri.lists.test (link domains), RFC 5782 §5 test entries
        dns = TestDnsServer.start("lists.test").zone("""
                2.0.0.127.bl A 127.0.0.2
                2.0.0.127.bl TXT "Test entry, see https://lists.test/127.0.0.2"
                test.uri A 127.0.0.2
                evil-links.example.uri A 127.0.0.2
                """);
        Path cert = dir.resolve("tls/cert.pem");
        TlsFiles.writeSelfSigned(cert, dir.resolve("tls/key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        String toml = """
                [server]
                hostname = "mx.example.test"
                data_dir = "data"
                postmaster = "alice@example.test"
                [tls]
                certificate = "tls/cert.pem"
                private_key = "tls/key.pem"
                [dns]
                servers = ["127.0.0.1:%d"]
                dnssec = false
                timeout_ms = 2000
                [auth]
                enabled = false
                [listeners]
                smtp = "127.0.0.1:0"
                submission = "127.0.0.1:0"
                submissions = ""
                imap = ""
                imaps = ""
                pop3 = ""
                pop3s = ""
                [managesieve]
                enabled = false
                [smtp]
                allow_plaintext_auth = true
                [evidence]
                enabled = false
                [filter]
                clamd = "127.0.0.1:%d"
                dnsbl = ["bl.lists.test"]
                uribl = ["uri.lists.test"]
                greylist = true
                greylist_allow = ["@partner.test"]
                submission_messages_per_hour = 3
                submission_recipients_per_hour = 5
                outbound_spam_score = 4
                outbound_hold_recipients = 3
                [filter.overrides]
                "carol@example.test" = { junk_score = 4.0 }
                """.formatted(dns.address().getPort(), clamdPort);
        server = new SealpostServer(SealpostConfig.parse(toml, dir), clock);
        server.start();
        var d = store().directory();
        d.addDomain("example.test");
        d.addAccount("alice@example.test", PASSWORD.toCharArray());
        d.addAccount("bob@example.test", PASSWORD.toCharArray());
        d.addAccount("carol@example.test", PASSWORD.toCharArray());
        d.addAlias("team@example.test", "alice@example.test");
    }

    static int startClamd() throws Exception {
        Path db = Files.createDirectories(dir.resolve("clamd/db"));
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(EICAR));
        Files.writeString(db.resolve("sealpost-test.hdb"), md5 + ":68:Sealpost.Test.EICAR\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path c = dir.resolve("clamd");
        Files.writeString(c.resolve("clamd.conf"), String.join("\n", "TCPSocket " + port, "TCPAddr 127.0.0.1",
                "DatabaseDirectory " + db, "TemporaryDirectory " + c, "Foreground yes", "LogFile " + c.resolve("clamd.log"),
                "PidFile " + c.resolve("clamd.pid"), ""));
        clamd = new ProcessBuilder("clamd", "-c", c.resolve("clamd.conf").toString())
                .redirectErrorStream(true).redirectOutput(c.resolve("clamd.out").toFile()).start();
        var client = dev.sealpost.filter.net.ClamdClient.of("127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!client.ping()) {
            if (!clamd.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("clamd did not answer PING: " + Files.readString(c.resolve("clamd.out")));
            }
            Thread.sleep(200);
        }
        return port;
    }

    @AfterAll
    static void stop() throws Exception {
        io.micrometer.core.instrument.Metrics.removeRegistry(METERS);
        if (server != null) server.close();
        if (dns != null) dns.close();
        stopClamd();
    }

    static void stopClamd() throws Exception {
        if (clamd != null && clamd.isAlive()) {
            clamd.destroy();
            if (!clamd.waitFor(20, TimeUnit.SECONDS)) clamd.destroyForcibly();
        }
    }

    static Store store() {
        return server.store();
    }

    static Peers.Result swaks(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--timeout", "20", "--helo", "client.test"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, dir, 60);
    }

    static String mx() {
        return "" + server.port(ListenerKind.MX);
    }

    static List<String> messagesOf(String address) throws Exception {
        long id = store().directory().account(address).orElseThrow().id();
        List<String> out = new ArrayList<>();
        for (Mailboxes.MailboxInfo box : store().mailboxes().list(id)) {
            for (Mailboxes.MessageInfo m : store().mailboxes().messages(box.id())) {
                try (InputStream in = store().blobs().open(m.blobId())) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    static String await(String address, String marker) throws Exception {
        Instant end = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(end)) {
            for (String m : messagesOf(address)) if (m.contains(marker)) return m;
            Thread.sleep(20);
        }
        throw new AssertionError("no message with '" + marker + "' reached " + address);
    }

    @Test
    @Order(1)
    void aListedClientIsRefusedAtMailNamingTheList() throws Exception {
        // 127.0.0.2 is every list's RFC 5782 §5 test entry: the only loopback address the lists are asked about
        Peers.Result r = swaks("--port", mx(), "--local-interface", "127.0.0.2", "--from", "someone@partner.test",
                "--to", "alice@example.test", "--header", "Subject: from a listed host");
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("<** 554 5.7.1 Service unavailable; Client host [127.0.0.2] blocked using bl.lists.test; "
                + "Test entry, see https://lists.test/127.0.0.2");
        assertThat(dns.queries("2.0.0.127.bl.lists.test.", org.xbill.DNS.Type.A)).isPositive();
        // 127.0.0.1 is never sent to the lists: accepted (sender domain allow-listed for greylisting)
        Peers.Result ok = swaks("--port", mx(), "--from", "someone@partner.test", "--to", "alice@example.test",
                "--header", "Subject: from loopback");
        assertThat(ok.exit()).as(ok.output()).isZero();
        await("alice@example.test", "Subject: from loopback");
        assertThat(dns.queries("1.0.0.127.bl.lists.test.", org.xbill.DNS.Type.A)).isZero();
        assertThat(outcomes("dnsbl_reject")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aFirstAttemptIsGreylistedAndTheRetryAfterTheDelayAccepted() throws Exception {
        Peers.Result first = swaks("--port", mx(), "--from", "news@unknown.test", "--to", "bob@example.test",
                "--header", "Subject: greylisted at first");
        assertThat(first.exit()).isNotZero();
        assertThat(first.output()).contains("<** 451 4.7.1 Greylisted, please try again in 300 seconds");
        clock.advance(Duration.ofSeconds(100));
        Peers.Result early = swaks("--port", mx(), "--from", "news@unknown.test", "--to", "bob@example.test",
                "--header", "Subject: greylisted at first");
        assertThat(early.output()).contains("<** 451 4.7.1 Greylisted, please try again in 200 seconds");
        clock.advance(Duration.ofSeconds(201));
        Peers.Result retry = swaks("--port", mx(), "--from", "news@unknown.test", "--to", "bob@example.test",
                "--header", "Subject: greylisted at first");
        assertThat(retry.exit()).as(retry.output()).isZero();
        await("bob@example.test", "Subject: greylisted at first");
        // remembered: the next message of the triplet passes at once
        Peers.Result again = swaks("--port", mx(), "--from", "news@unknown.test", "--to", "bob@example.test",
                "--header", "Subject: greylist remembered");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(store().greylist().find("127.0.0.0/24", "news@unknown.test", "bob@example.test")).get()
                .satisfies(e -> assertThat(e.passed()).isTrue());
        assertThat(outcomes("greylisted")).isEqualTo(2);
    }

    static String withAttachment(String subject, String fileName, byte[] body) {
        return "From: Someone <someone@partner.test>\r\nTo: carol@example.test\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"" + fileName + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(body) + "\r\n--b1--\r\n";
    }

    @Test
    @Order(3)
    void eicarIsRefusedWithTheSignatureAndUriblHitsAreScored() throws Exception {
        Path eicar = dir.resolve("eicar.eml");
        Files.writeString(eicar, withAttachment("eicar inside", "eicar.com", EICAR));
        Peers.Result r = swaks("--port", mx(), "--from", "someone@partner.test", "--to", "carol@example.test", "--data", "@" + eicar);
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).containsPattern("<\\*\\* 554 5\\.7\\.1 Message refused: malware found \\(Sealpost\\.Test\\.EICAR[.A-Z]* in [^)]*eicar\\.com\\)");
        // a clean message with a link to a listed domain: accepted, the URIBL hit in X-Spam-Status
        Peers.Result u = swaks("--port", mx(), "--from", "someone@partner.test", "--to", "carol@example.test",
                "--header", "Subject: link to a listed domain", "--body", "Look: http://www.evil-links.example/offer and http://fine.example/");
        assertThat(u.exit()).as(u.output()).isZero();
        String m = await("carol@example.test", "Subject: link to a listed domain");
        // carol's own junk_score (4, [filter.overrides]) instead of the global 6: Junk
        assertThat(m).containsPattern("X-Spam-Status: Yes, score=5\\.0 required=4\\.0 tests=[a-z_,\\s]*uribl_uri_lists_test");
        long carol = store().directory().account("carol@example.test").orElseThrow().id();
        Mailboxes.MailboxInfo junk = store().mailboxes().list(carol).stream().filter(b -> "\\Junk".equals(b.specialUse())).findFirst().orElseThrow();
        assertThat(store().mailboxes().messages(junk.id())).hasSize(1);
        assertThat(messagesOf("carol@example.test")).noneMatch(x -> x.contains("eicar inside"));
    }

    static String submit(SmtpClient c, String line) throws Exception {
        return c.cmd(line);
    }

    static SmtpClient login(String user) throws Exception {
        SmtpClient c = new SmtpClient(server.port(ListenerKind.SUBMISSION));
        c.reply();
        c.cmd("EHLO client.test");
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(c.cmd("AUTH PLAIN " + token)).startsWith("235");
        return c;
    }

    static void data(SmtpClient c, String subject) throws Exception {
        assertThat(c.cmd("DATA")).startsWith("354");
        assertThat(c.cmd("Subject: " + subject + "\r\n\r\nhello\r\n.")).startsWith("250");
    }

    @Test
    @Order(4)
    void submissionRateLimitsAnswer452And450() throws Exception {
        try (SmtpClient c = login("bob@example.test")) {
            assertThat(c.cmd("MAIL FROM:<bob@example.test>")).startsWith("250");
            for (String r : List.of("alice", "carol", "team")) assertThat(c.cmd("RCPT TO:<" + r + "@example.test>")).startsWith("250");
            data(c, "rate 1");
            assertThat(c.cmd("MAIL FROM:<bob@example.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<carol@example.test>")).startsWith("250");
            // 3 sent + 2 in this transaction = the 5 an hour allowed
            assertThat(c.cmd("RCPT TO:<team@example.test>")).startsWith("452 4.5.3 Recipient rate limit reached (5 recipients per hour)");
            data(c, "rate 2");
            assertThat(c.cmd("MAIL FROM:<bob@example.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("452 4.5.3");
            assertThat(c.cmd("RSET")).startsWith("250");
            clock.advance(Duration.ofMinutes(61)); // a new hour: the windows are empty again
            assertThat(c.cmd("MAIL FROM:<bob@example.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("250");
            data(c, "rate 3");
            for (int i = 4; i <= 5; i++) {
                assertThat(c.cmd("MAIL FROM:<bob@example.test>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("250");
                data(c, "rate " + i);
            }
            // the 3 messages of this hour are spent
            assertThat(c.cmd("MAIL FROM:<bob@example.test>")).startsWith("450 4.7.1 Sending rate limit reached (3 messages per hour)");
            assertThat(outcomes("rate_limited")).isEqualTo(3);
            c.cmd("QUIT");
        }
        await("alice@example.test", "Subject: rate 5");
        // another account is not limited by bob's sending
        try (SmtpClient c = login("carol@example.test")) {
            assertThat(c.cmd("MAIL FROM:<carol@example.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<alice@example.test>")).startsWith("250");
            data(c, "carol is not limited");
            c.cmd("QUIT");
        }
    }

    static String cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--data", dir.resolve("data").toString()));
            assertThat(Main.run(all.toArray(String[]::new))).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Order(5)
    void anAccountSendingSpamToManyRecipientsIsHeldAndThePostmasterTold() throws Exception {
        clock.advance(Duration.ofMinutes(61));
        // swaks over submission: a link to a listed domain scores 5, over outbound_spam_score = 4
        Peers.Result r = swaks("--port", "" + server.port(ListenerKind.SUBMISSION), "--auth", "PLAIN", "--auth-user", "carol@example.test",
                "--auth-password", PASSWORD, "--from", "carol@example.test",
                "--to", "x1@remote.test,x2@remote.test,x3@remote.test", "--header", "Subject: cheap offer",
                "--body", "Buy now: http://evil-links.example/buy");
        assertThat(r.exit()).as(r.output()).isZero(); // "250": accepted, and held
        List<Quarantine.Entry> held = new ArrayList<>();
        Instant end = Instant.now().plusSeconds(20);
        while (held.size() < 3 && Instant.now().isBefore(end)) {
            held = store().quarantine().list(null, 100).stream().filter(e -> "cheap offer".equals(e.subject())).toList();
            Thread.sleep(20);
        }
        assertThat(held).extracting(Quarantine.Entry::recipient).containsExactlyInAnyOrder("x1@remote.test", "x2@remote.test", "x3@remote.test");
        assertThat(held).allSatisfy(e -> {
            assertThat(e.accountId()).isZero();
            assertThat(e.hits()).contains("uribl_uri_lists_test").contains("outbound_hold");
        });
        assertThat(store().outbound().depth().pendingDeliveries()).as("nothing queued for sending").isZero();
        String notice = await("alice@example.test", "Subject: Outgoing mail of carol@example.test held");
        assertThat(notice).contains("Auto-Submitted: auto-generated").contains("to 3 recipients within an hour");
        // the account stays held for the hour: a clean message is held too
        Peers.Result clean = swaks("--port", "" + server.port(ListenerKind.SUBMISSION), "--auth", "PLAIN", "--auth-user", "carol@example.test",
                "--auth-password", PASSWORD, "--from", "carol@example.test", "--to", "friend@remote.test", "--header", "Subject: hello friend");
        assertThat(clean.exit()).as(clean.output()).isZero();
        end = Instant.now().plusSeconds(20);
        while (store().quarantine().list("friend@remote.test", 10).isEmpty() && Instant.now().isBefore(end)) Thread.sleep(20);
        assertThat(store().quarantine().list("friend@remote.test", 10)).hasSize(1);
        // the postmaster releases one: queued for sending, without our verdict field
        Quarantine.Entry first = held.getFirst();
        long id = first.id();
        assertThat(cli("quarantine", "release", "" + id)).contains("released " + id).contains("(queued)");
        end = Instant.now().plusSeconds(20);
        while (store().outbound().depth().pendingDeliveries() == 0 && Instant.now().isBefore(end)) Thread.sleep(20);
        assertThat(store().outbound().depth().pendingDeliveries()).isEqualTo(1);
        var q = store().spool().list(100).stream().filter(m -> m.recipients().stream().anyMatch(x -> x.address().equals(first.recipient())))
                .filter(m -> m.envelope().sessionId().startsWith("quarantine-release")).findFirst().orElseThrow();
        try (InputStream in = store().blobs().open(q.blob().id())) {
            String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(content).contains("Subject: cheap offer").doesNotContain("X-Sealpost-Filter");
        }
    }

    @Test
    @Order(6)
    void clamdDownMeans451() throws Exception {
        stopClamd();
        Peers.Result r = swaks("--port", mx(), "--from", "someone@partner.test", "--to", "carol@example.test",
                "--header", "Subject: while clamd is down");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("<** 451 4.3.0 Message could not be scanned for malware, try again later");
        assertThat(outcomes("scanner_tempfail")).isEqualTo(1);
        assertThat(outcomes("malware_reject")).isEqualTo(1);
        assertThat(outcomes("outbound_held")).isEqualTo(2);
    }
}
