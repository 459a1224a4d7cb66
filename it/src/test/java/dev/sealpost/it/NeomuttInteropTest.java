package dev.sealpost.it;

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
    private static Path muttrc(String smtpUrl) throws Exception {
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
                ""), StandardCharsets.UTF_8);
        return rc;
    }

    @Test
    void sendsThroughSubmissionWithDefaultSaslSettings() throws Exception {
        Peers.require("neomutt");
        int before = server.inbox("bob@example.test").size();
        // user names with "@" are percent-encoded in the URL (RFC 3986 §3.2.1)
        String url = "smtp://" + TestServer.USER.replace("@", "%40") + "@127.0.0.1:" + server.port(ListenerKind.SUBMISSION) + "/";
        Path rc = muttrc(url);
        Path body = dir.resolve("body.txt");
        Files.writeString(body, "hello from neomutt\n", StandardCharsets.UTF_8);
        // batch mode: the body comes on standard input (Peers.run gives /dev/null, hence the shell)
        Peers.Result r = Peers.run(List.of("sh", "-c", "exec neomutt -n -F \"$0\" -s 'neomutt submission test' -- bob@example.test < \"$1\"",
                rc.toString(), body.toString()), dir, 60);
        String debug = Files.exists(dir.resolve("neomutt.log0")) ? Files.readString(dir.resolve("neomutt.log0"))
                : Files.exists(dir.resolve("neomutt.log")) ? Files.readString(dir.resolve("neomutt.log")) : "";
        assertThat(r.exit()).as(r.output() + "\n" + debug).isZero();
        String msg = server.awaitContent("bob@example.test", "Subject: neomutt submission test");
        assertThat(msg).contains("with ESMTPSA").contains("hello from neomutt");
        assertThat(server.inbox("bob@example.test")).hasSize(before + 1);
    }
}
