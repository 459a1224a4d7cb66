package dev.sealpost.it;

import dev.sealpost.testkit.Peers;
import dev.sealpost.smtp.server.ListenerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * neomutt (Debian 12: 20220429 on GNU SASL 2.2 and GnuTLS) sends through submission with its
 * default SASL settings: no {@code smtp_authenticators}, so GNU SASL picks the best mechanism the
 * server lists. When SCRAM-SHA-256-PLUS was listed, it picked that and failed on the client side
 * ("tls-exporter channel binding was not provided": neomutt gives GNU SASL no binding data), and
 * never tried another mechanism; the server saw EHLO and a close. With -PLUS not advertised by
 * default it takes SCRAM-SHA-256. Checked by hand with server.advertise_scram_plus = true: neomutt
 * sends AUTH SCRAM-SHA-256-PLUS, gsasl_step64 fails (69, no tls-exporter binding), it cancels with
 * "*" and gives up; the server now logs that as reason=cancelled.
 */
class NeomuttInteropTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** A muttrc with neomutt's defaults except what sending needs: the URL, the password, trust in our test CA. */
    private static Path muttrc(String smtpUrl, String... extra) throws Exception {
        Path rc = dir.resolve("muttrc");
        Files.writeString(rc, String.join("\n",
                "set from = \"" + TestServer.USER + "\"",
                "set smtp_url = \"" + smtpUrl + "\"",
                "set smtp_pass = \"" + TestServer.PASSWORD + "\"",
                "set ssl_starttls = yes",
                "set ssl_force_tls = yes",
                "set ssl_ca_certificates_file = \"" + server.cert + "\"",
                "set certificate_file = \"" + dir.resolve("certificates") + "\"",
                "set record = \"\"",
                "set folder = \"" + dir.resolve("Mail") + "\"",
                "set spoolfile = \"" + dir.resolve("Mail/inbox") + "\"",
                "set header_cache = \"\"",
                "set message_cachedir = \"\"",
                "set hostname = \"client.example.test\"",
                "set debug_level = 2",
                "set debug_file = \"" + dir.resolve("neomutt.log") + "\"",
                String.join("\n", extra),
                ""), StandardCharsets.UTF_8);
        return rc;
    }

    private static String smtpUrl() {
        // user names with "@" are percent-encoded in the URL (RFC 3986 §3.2.1)
        return "smtp://" + TestServer.USER.replace("@", "%40") + "@127.0.0.1:" + server.port(ListenerKind.SUBMISSION) + "/";
    }

    /** Sends one message in batch mode (the body on standard input) and returns neomutt's result with its debug log. */
    private static Peers.Result send(String subject, String to, String text) throws Exception {
        Path rc = muttrc(smtpUrl());
        Path body = dir.resolve("body.txt");
        Files.writeString(body, text + "\n", StandardCharsets.UTF_8);
        // Peers.run gives /dev/null as standard input, hence the shell
        Peers.Result r = Peers.run(List.of("sh", "-c", "exec neomutt -n -F \"$0\" -s \"$1\" -- \"$2\" < \"$3\"",
                rc.toString(), subject, to, body.toString()), dir, 60);
        return new Peers.Result(r.exit(), r.output() + "\n" + debugLog());
    }

    private static String debugLog() throws Exception {
        Path log = dir.resolve("neomutt.log0");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void sendsThroughSubmissionWithDefaultSaslSettings() throws Exception {
        Peers.require("neomutt");
        int before = server.inbox("bob@example.test").size();
        Peers.Result r = send("neomutt submission test", "bob@example.test", "hello from neomutt");
        assertThat(r.exit()).as(r.output()).isZero();
        String msg = server.awaitContent("bob@example.test", "Subject: neomutt submission test");
        assertThat(msg).contains("with ESMTPSA").contains("hello from neomutt");
        assertThat(server.inbox("bob@example.test")).hasSize(before + 1);
    }

    /**
     * Sends to ourselves, then opens the INBOX over IMAPS with the same default SASL settings and
     * pipes the newest message to a file. neomutt's reader needs a terminal: it runs in a tmux
     * session of its own (own socket), driven by a {@code push} in the muttrc.
     */
    @Test
    void sendsAndReadsBackOverImaps() throws Exception {
        Peers.require("neomutt");
        Peers.require("tmux");
        Peers.Result sent = send("neomutt round trip", TestServer.USER, "read me over IMAPS");
        assertThat(sent.exit()).as(sent.output()).isZero();
        server.awaitContent(TestServer.USER, "Subject: neomutt round trip");
        Path out = dir.resolve("read.txt");
        String imaps = "imaps://" + TestServer.USER.replace("@", "%40") + "@127.0.0.1:" + server.server.imapPort(true) + "/";
        Path rc = muttrc(smtpUrl(),
                "set imap_pass = \"" + TestServer.PASSWORD + "\"",
                "set folder = \"" + imaps + "\"",
                "set spoolfile = \"+INBOX\"",
                "set sort = date",
                "set wait_key = no",
                "set quit = yes",
                "push \"<last-entry><pipe-message>cat > " + out + "<enter><quit>\"");
        Path sock = dir.resolve("tmux.sock");
        Peers.Result started = Peers.run(List.of("tmux", "-S", sock.toString(), "new-session", "-d", "-x", "160", "-y", "40",
                "neomutt -n -F " + rc), dir, 30);
        assertThat(started.exit()).as(started.output()).isZero();
        try {
            long until = System.nanoTime() + 45_000_000_000L;
            while (System.nanoTime() < until && !(Files.exists(out) && Files.readString(out).contains("read me over IMAPS"))) {
                Thread.sleep(200);
            }
            assertThat(Files.exists(out)).as(debugLog()).isTrue();
            assertThat(Files.readString(out)).as(debugLog()).contains("Subject: neomutt round trip").contains("read me over IMAPS");
        } finally {
            Peers.run(List.of("tmux", "-S", sock.toString(), "kill-server"), dir, 30);
        }
    }
}
