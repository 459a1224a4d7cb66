package dev.sealpost.it;

import dev.sealpost.app.Main;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Directory;
import dev.sealpost.store.MailingLists;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Distribution lists through the whole server (issue 18): lists made with the CLI, a post sent by
 * swaks to the MX, each member's copy checked in the local mailboxes and, for a remote member, at
 * a capturing MTA on 127.0.0.1 (its VERP return path, List-* fields, the DMARC From rewrite, no
 * other member's address, and a DKIM signature of the list domain that dkimpy verifies); a bounce
 * to the VERP address disables that member; subscribe by mail with confirmation by reply;
 * one-click unsubscribe by an HTTPS POST with curl; a group address expands with duplicates removed.
 */
class ListsEndToEndTest {
    static final String ZONE = """
            $TTL 300
            far.test.          IN MX  10 mx.far.test.
            mx.far.test.       IN A   127.0.0.1
            strict.test.       IN MX  10 mx.far.test.
            _dmarc.strict.test. IN TXT "v=DMARC1; p=reject"
            relaxed.test.      IN MX  10 mx.far.test.
            _dmarc.relaxed.test. IN TXT "v=DMARC1; p=none"
            """;

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    TestServer start(SrsForwardingEndToEndTest.SinkMta sink) throws Exception {
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

    String data() {
        return dir.resolve("server/data").toString();
    }

    static String cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    Peers.Result swaks(TestServer server, String from, String to, String... extra) throws Exception {
        Peers.require("swaks");
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", "" + server.port(ListenerKind.MX),
                "--timeout", "20", "--from", from, "--to", to));
        cmd.addAll(List.of(extra));
        Peers.Result r = Peers.run(cmd, dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        return r;
    }

    /** dkimpy's verdicts (one word per signature) for {@code message}, with the domain's published keys as the only DNS. */
    String dkimpy(TestServer server, String message) throws Exception {
        Peers.require("python3");
        Peers.Result probe = Peers.run(List.of("/usr/bin/python3", "-c", "import dkim"), dir, 30);
        Peers.require(probe.exit() == 0, "python3-dkim (dkimpy)");
        Path records = Files.createTempFile(dir, "records", ".txt");
        StringBuilder sb = new StringBuilder();
        for (Directory.DkimKey k : server.store().directory().signingKeys(TestServer.DOMAIN)) {
            sb.append(k.recordName()).append(' ').append(k.publicRecord()).append('\n');
        }
        Files.writeString(records, sb.toString(), StandardCharsets.US_ASCII);
        Path msg = Files.createTempFile(dir, "copy", ".eml");
        Files.write(msg, message.getBytes(StandardCharsets.UTF_8));
        Path script = Path.of(DkimSubmissionTest.class.getResource("dkimpy_verify.py").toURI());
        Peers.Result r = Peers.run(List.of("/usr/bin/python3", script.toString(), records.toString(), msg.toString()), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().strip().lines().toList().getLast();
    }

    /** The SMTP sink's DATA as received (dot-stuffing undone). */
    static String unstuffed(String data) {
        return data.replace("\r\n..", "\r\n.");
    }

    @Test
    void postReachesEachMemberOnceSignedWithListFieldsAndNoOtherMemberAddress() throws Exception {
        var sink = new SrsForwardingEndToEndTest.SinkMta();
        open.add(sink);
        TestServer server = start(sink);
        cli("dkim", "keygen", "--domain", TestServer.DOMAIN, "--selector", "lists1", "--algorithm", "rsa", "--data", data());
        cli("list", "add", "dev@example.test", "--posting", "open", "--description", "Dev Team", "--data", data());
        cli("list", "member", "add", "dev@example.test", "alice@example.test", "bob@example.test", "carol@far.test", "--data", data());
        cli("list", "owner", "add", "dev@example.test", "alice@example.test", "--data", data());
        assertThat(cli("list", "show", "dev@example.test", "--data", data())).contains("members: 3").contains("carol@far.test");

        // a poster whose domain publishes p=reject: the list rewrites From to itself
        swaks(server, "poster@strict.test", "dev@example.test", "--header", "From: Pat Poster <poster@strict.test>",
                "--header", "Subject: list e2e one", "--body", "Hello list.");
        String alice = server.awaitContent("alice@example.test", "Subject: list e2e one");
        String bob = server.awaitContent("bob@example.test", "Subject: list e2e one");
        SrsForwardingEndToEndTest.Received carol = sink.awaitTo("carol@far.test", "Subject: list e2e one");
        assertThat(carol.mailFrom()).isEqualTo("dev-bounces+carol=far.test@example.test");
        assertThat(carol.rcpts()).containsExactly("carol@far.test");
        String copy = unstuffed(carol.data());
        for (String c : List.of(alice, bob, copy)) {
            assertThat(c).contains("List-Id: Dev Team <dev.example.test>").contains("List-Post: <mailto:dev@example.test>")
                    .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click").contains("Precedence: list")
                    .contains("From: Pat Poster via Dev Team <dev@example.test>").contains("Reply-To: Pat Poster <poster@strict.test>")
                    .contains("d=example.test;").contains("Hello list.");
        }
        // members never see each other
        assertThat(alice).doesNotContain("bob@example.test").doesNotContain("carol").doesNotContain("carol=far.test");
        assertThat(bob).doesNotContain("alice@example.test").doesNotContain("carol");
        assertThat(copy).doesNotContain("alice").doesNotContain("bob");
        assertThat(server.inbox("alice@example.test")).hasSize(1);
        assertThat(server.inbox("bob@example.test")).hasSize(1);
        assertThat(sink.count("carol@far.test")).isEqualTo(1);
        // dkimpy verifies the list domain's signature on what the remote member received, and a changed body fails
        assertThat(dkimpy(server, copy)).isEqualTo("pass");
        // RFC 8058 §4: the one-click fields are covered by the signature
        assertThat(copy.replaceAll("\r\n[ \t]+", " ")).containsPattern("h=[^;]*List-Unsubscribe:[^;]*List-Unsubscribe-Post");
        assertThat(dkimpy(server, copy.replace("Hello list.", "Hello list!"))).isEqualTo("fail");

        // a poster whose domain says p=none keeps its From
        swaks(server, "poster@relaxed.test", "dev@example.test", "--header", "From: Rae <poster@relaxed.test>",
                "--header", "Subject: list e2e two", "--body", "Second.");
        String kept = unstuffed(sink.awaitTo("carol@far.test", "Subject: list e2e two").data());
        assertThat(kept).contains("From: Rae <poster@relaxed.test>").doesNotContain("via Dev Team");
        assertThat(dkimpy(server, kept)).isEqualTo("pass");

        // a bounce from far.test to carol's VERP address: past the threshold (1 here), carol is disabled
        cli("list", "set", "dev@example.test", "bounce_threshold=1", "--data", data());
        Path dsn = dir.resolve("dsn.eml");
        Files.writeString(dsn, "From: MAILER-DAEMON@far.test\r\nTo: dev-bounces+carol=far.test@example.test\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx.far.test\r\n\r\nFinal-Recipient: rfc822; carol@far.test\r\nAction: failed\r\n"
                + "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n--b1--\r\n");
        swaks(server, "", "dev-bounces+carol=far.test@example.test", "--data", "@" + dsn);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.store().lists().members("dev@example.test", MailingLists.Role.MEMBER)
                .stream().anyMatch(m -> m.address().equals("carol@far.test") && !m.enabled()));
        sink.awaitTo("carol@far.test", "is disabled");
        assertThat(cli("list", "member", "list", "dev@example.test", "carol@far.test", "--data", data())).contains("carol@far.test\tdisabled");
        swaks(server, "poster@relaxed.test", "dev@example.test", "--header", "From: Rae <poster@relaxed.test>",
                "--header", "Subject: list e2e three", "--body", "Third.");
        server.awaitContent("alice@example.test", "Subject: list e2e three");
        Thread.sleep(1500);
        assertThat(sink.find("carol@far.test", "Subject: list e2e three")).isNull();

        // RFC 8058 one-click unsubscribe: curl POSTs to bob's List-Unsubscribe URI over HTTPS
        Matcher u = Pattern.compile("List-Unsubscribe: <(https://[^>]+)>").matcher(bob);
        assertThat(u.find()).as(bob).isTrue();
        String path = u.group(1).substring(u.group(1).indexOf("/lists/"));
        String url = "https://127.0.0.1:" + server.server.httpPort(true) + path;
        Peers.require("curl");
        Peers.Result get = Peers.run(List.of("curl", "-sS", "--cacert", server.cert.toString(), url), dir, 30);
        assertThat(get.output()).contains("<form method=post>");
        assertThat(server.store().lists().members("dev@example.test", MailingLists.Role.MEMBER)).extracting(MailingLists.Member::address).contains("bob@example.test");
        Peers.Result forged = Peers.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", server.cert.toString(),
                "-d", "List-Unsubscribe=One-Click", url.substring(0, url.length() - 3) + "AAA"), dir, 30);
        assertThat(forged.output().strip()).isEqualTo("403");
        Peers.Result post = Peers.run(List.of("curl", "-sS", "--cacert", server.cert.toString(), "-d", "List-Unsubscribe=One-Click", url), dir, 30);
        assertThat(post.output()).contains("unsubscribed");
        assertThat(server.store().lists().members("dev@example.test", MailingLists.Role.MEMBER)).extracting(MailingLists.Member::address)
                .doesNotContain("bob@example.test");
    }

    @Test
    void subscribeByMailIsConfirmedByReplyAndModeratedPostsWaitForApproval() throws Exception {
        var sink = new SrsForwardingEndToEndTest.SinkMta();
        open.add(sink);
        TestServer server = start(sink);
        cli("list", "add", "news@example.test", "--posting", "moderated", "--data", data());
        cli("list", "moderator", "add", "news@example.test", "alice@example.test", "--data", data());
        cli("list", "member", "add", "news@example.test", "bob@example.test", "--data", data());

        // the moderator posts through submission (authenticated, so verified): accepted without holding
        Peers.Result sub = Peers.run(List.of("swaks", "--server", "127.0.0.1", "--port", "" + server.port(ListenerKind.SUBMISSION), "--tls",
                "--auth", "PLAIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD, "--timeout", "20",
                "--from", TestServer.USER, "--to", "news@example.test", "--header", "Subject: from the moderator"), dir, 60);
        assertThat(sub.exit()).as(sub.output()).isZero();
        String modPost = server.awaitContent("bob@example.test", "Subject: from the moderator");
        assertThat(modPost).contains("List-Id: news <news.example.test>");
        swaks(server, "dave@far.test", "news-request@example.test", "--header", "From: dave@far.test", "--header", "Subject: subscribe");
        SrsForwardingEndToEndTest.Received confirm = sink.awaitTo("dave@far.test", "Subject: confirm ");
        assertThat(confirm.mailFrom()).isEqualTo("news-bounces@example.test");
        assertThat(confirm.data()).contains("Auto-Submitted: auto-replied").doesNotContain("bob@example.test");
        Matcher t = Pattern.compile("Reply-To: <(news-confirm\\+[a-z2-7]{32}@example.test)>").matcher(confirm.data());
        assertThat(t.find()).as(confirm.data()).isTrue();
        assertThat(server.store().lists().members("news@example.test", MailingLists.Role.MEMBER)).hasSize(1);
        swaks(server, "dave@far.test", t.group(1), "--header", "From: dave@far.test", "--header", "Subject: Re: confirm");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.store().lists().members("news@example.test", MailingLists.Role.MEMBER)
                .stream().anyMatch(m -> m.address().equals("dave@far.test")));
        sink.awaitTo("dave@far.test", "Welcome to news@example.test");

        // a member's post to a moderated list is held; the moderator approves by replying
        swaks(server, "bob@example.test", "news@example.test", "--header", "From: bob@example.test", "--header", "Subject: held post");
        String notice = server.awaitContent("alice@example.test", "is held for moderation");
        Matcher n = Pattern.compile("Reply-To: <(news-confirm\\+[a-z2-7]{32}@example.test)>").matcher(notice);
        assertThat(n.find()).as(notice).isTrue();
        assertThat(sink.find("dave@far.test", "Subject: held post")).isNull();
        // a reply from someone who is not a moderator does nothing
        swaks(server, "mallory@far.test", n.group(1), "--header", "From: mallory@far.test", "--body", "approve");
        Thread.sleep(1500);
        assertThat(sink.find("dave@far.test", "Subject: held post")).isNull();
        swaks(server, "alice@example.test", n.group(1), "--header", "From: alice@example.test", "--header", "Subject: Re: confirm",
                "--body", "approve");
        SrsForwardingEndToEndTest.Received got = sink.awaitTo("dave@far.test", "Subject: held post");
        assertThat(got.mailFrom()).isEqualTo("news-bounces+dave=far.test@example.test");
        server.awaitContent("bob@example.test", "Subject: held post");

        // the same decision from the CLI (the server's config in the data directory: its host name and DNS)
        Files.writeString(dir.resolve("server/data/sealpost.toml"), """
                [server]
                hostname = "mx.example.test"
                data_dir = "."
                [dns]
                zone_file = "%s"
                [listeners]
                submission = ""
                submissions = ""
                imap = ""
                imaps = ""
                pop3 = ""
                pop3s = ""
                """.formatted(dir.resolve("server/zone.txt").toAbsolutePath()));
        swaks(server, "bob@example.test", "news@example.test", "--header", "From: bob@example.test", "--header", "Subject: held for the cli");
        await().atMost(Duration.ofSeconds(30)).until(() -> cli("list", "held", "news@example.test", "--data", data()).contains("held for the cli"));
        String held = cli("list", "held", "news@example.test", "--data", data());
        assertThat(held).contains("bob@example.test").doesNotContain("dave@far.test").doesNotContain("alice@example.test");
        String id = held.lines().filter(l -> l.contains("held for the cli")).findFirst().orElseThrow().split("\t")[0];
        assertThat(cli("list", "approve", "news@example.test", id, "--data", data())).contains("approved");
        SrsForwardingEndToEndTest.Received viaCli = sink.awaitTo("dave@far.test", "Subject: held for the cli");
        assertThat(viaCli.mailFrom()).isEqualTo("news-bounces+dave=far.test@example.test");
        assertThat(unstuffed(viaCli.data())).contains("List-Unsubscribe: <https://mx.example.test/lists/unsubscribe/news.example.test/");
        server.awaitContent("bob@example.test", "Subject: held for the cli");
        assertThat(cli("list", "held", "news@example.test", "--data", data())).doesNotContain("held for the cli");
    }

    @Test
    void groupAddressExpandsOncePerMemberAcrossOverlappingGroupsAndAliases() throws Exception {
        var sink = new SrsForwardingEndToEndTest.SinkMta();
        open.add(sink);
        TestServer server = start(sink);
        // team@example.test is an alias to alice and bob (TestServer); crew overlaps with it and loops back to itself
        cli("group", "add", "crew@example.test", "alice@example.test", "team@example.test", "erin@far.test", "crew@example.test", "--data", data());
        cli("group", "add", "all@example.test", "crew@example.test", "bob@example.test", "erin@far.test", "--data", data());
        assertThat(cli("group", "list", "all@example.test", "--data", data())).contains("crew@example.test").contains("erin@far.test");
        // local explosion at submission: alice, authenticated, writes to the group
        Peers.Result sub = Peers.run(List.of("swaks", "--server", "127.0.0.1", "--port", "" + server.port(ListenerKind.SUBMISSION), "--tls",
                "--auth", "PLAIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD, "--timeout", "20",
                "--from", TestServer.USER, "--to", "all@example.test", "--header", "Subject: group e2e"), dir, 60);
        assertThat(sub.exit()).as(sub.output()).isZero();
        server.awaitContent("alice@example.test", "Subject: group e2e");
        server.awaitContent("bob@example.test", "Subject: group e2e");
        sink.awaitTo("erin@far.test", "Subject: group e2e");
        Thread.sleep(1500);
        assertThat(server.inbox("alice@example.test")).hasSize(1);
        assertThat(server.inbox("bob@example.test")).hasSize(1);
        assertThat(sink.received.stream().filter(r -> r.rcpts().contains("erin@far.test")).mapToLong(r -> r.rcpts().stream()
                .filter("erin@far.test"::equals).count()).sum()).isEqualTo(1);
        // no List-* fields on group mail
        assertThat(server.awaitContent("alice@example.test", "Subject: group e2e")).doesNotContain("List-Id:");
    }

    /** A remote MTA that refuses RCPT for {@code gone@far.test} with 550 5.1.1 and accepts the rest. */
    static final class RejectingSink implements AutoCloseable {
        final java.net.ServerSocket server;
        final List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();

        RejectingSink() throws java.io.IOException {
            server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket sock = server.accept();
                        Thread.ofVirtual().start(() -> session(sock));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }

        private void session(java.net.Socket sock) {
            try (sock; var in = new java.io.BufferedReader(new java.io.InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
                 var out = sock.getOutputStream()) {
                send(out, "220 far.test ESMTP");
                String l;
                while ((l = in.readLine()) != null) {
                    String u = l.toUpperCase(java.util.Locale.ROOT);
                    if (u.startsWith("EHLO")) send(out, "250-far.test\r\n250 8BITMIME");
                    else if (u.startsWith("RCPT TO:") && u.contains("GONE@FAR.TEST")) {
                        refused.add(l);
                        send(out, "550 5.1.1 <gone@far.test>: no such user");
                    } else if (u.startsWith("DATA")) {
                        send(out, "354 go");
                        String d;
                        while ((d = in.readLine()) != null && !d.equals(".")) { }
                        send(out, "250 2.0.0 ok");
                    } else if (u.startsWith("QUIT")) {
                        send(out, "221 bye");
                        return;
                    } else send(out, "250 ok");
                }
            } catch (java.io.IOException e) {
                // the client went away
            }
        }

        private static void send(java.io.OutputStream out, String line) throws java.io.IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }

    @Test
    void ourOwnDsnForARefusedMemberComesBackToTheVerpAddressAndDisablesIt() throws Exception {
        RejectingSink sink = new RejectingSink();
        open.add(sink);
        TestServer server = new TestServer(dir.resolve("server"), "", ZONE, """
                [queue]
                mx_port = %d
                dane = false
                mta_sts = false
                [auth]
                enabled = false
                """.formatted(sink.server.getLocalPort()));
        open.add(server);
        cli("list", "add", "ops@example.test", "--posting", "open", "--data", data());
        cli("list", "member", "add", "ops@example.test", "gone@far.test", "bob@example.test", "--data", data());
        cli("list", "set", "ops@example.test", "bounce_threshold=1", "--data", data());
        swaks(server, "poster@relaxed.test", "ops@example.test", "--header", "From: poster@relaxed.test", "--header", "Subject: to a dead member");
        server.awaitContent("bob@example.test", "Subject: to a dead member");
        // far.test refuses gone@ at RCPT; our queue's DSN goes to ops-bounces+gone=far.test@example.test, which the list reads
        await().atMost(Duration.ofSeconds(60)).until(() -> server.store().lists().members("ops@example.test", MailingLists.Role.MEMBER)
                .stream().anyMatch(m -> m.address().equals("gone@far.test") && !m.enabled()));
        assertThat(sink.refused).isNotEmpty();
        MailingLists.Member gone = server.store().lists().members("ops@example.test", MailingLists.Role.MEMBER).stream()
                .filter(m -> m.address().equals("gone@far.test")).findFirst().orElseThrow();
        assertThat(gone.bounce().status()).isEqualTo("disabled");
        assertThat(gone.bounce().score()).isGreaterThanOrEqualTo(1.0);
        assertThat(server.store().lists().members("ops@example.test", MailingLists.Role.MEMBER).stream()
                .filter(m -> m.address().equals("bob@example.test")).findFirst().orElseThrow().enabled()).isTrue();
    }
}
