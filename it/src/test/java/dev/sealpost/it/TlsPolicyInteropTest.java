package dev.sealpost.it;

import dev.sealpost.testkit.Peers;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.smtp.server.ListenerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS policy (core.tls.ServerTls) as a real peer sees it: openssl s_client against every TLS
 * listener of a server with the default profile (intermediate), and against a port-25 MX with
 * {@code tls.mx_profile = "legacy"}. The certificate is RSA, so the ECDHE-RSA suites are the ones
 * a client can get.
 */
class TlsPolicyInteropTest {
    @TempDir
    static Path dir;
    static SealpostServer intermediate;
    static SealpostServer legacyMx;

    /** One TLS listener: its STARTTLS dialect for openssl ({@code null}: implicit TLS) and port. */
    record Listener(String name, String starttls, int port) {}

    @BeforeAll
    static void start() throws Exception {
        Path cert = dir.resolve("tls/cert.pem");
        TlsFiles.writeSelfSigned(cert, dir.resolve("tls/key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        intermediate = server(dir.resolve("intermediate"), "");
        legacyMx = server(dir.resolve("legacy"), "mx_profile = \"legacy\"\n");
    }

    private static SealpostServer server(Path data, String tlsKeys) throws Exception {
        Files.createDirectories(data);
        Files.writeString(data.resolve("zone.txt"), "$TTL 300\n");
        String toml = """
                [server]
                hostname = "mx.example.test"
                data_dir = "data"
                [tls]
                certificate = "../tls/cert.pem"
                private_key = "../tls/key.pem"
                """ + tlsKeys + """
                [dns]
                zone_file = "zone.txt"
                [listeners]
                smtp = "127.0.0.1:0"
                submission = "127.0.0.1:0"
                submissions = "127.0.0.1:0"
                imap = "127.0.0.1:0"
                imaps = "127.0.0.1:0"
                pop3 = "127.0.0.1:0"
                pop3s = "127.0.0.1:0"
                https = "127.0.0.1:0"
                [managesieve]
                listen = "127.0.0.1:0"
                """;
        SealpostServer s = new SealpostServer(SealpostConfig.parse(toml, data), Clock.systemUTC());
        s.start();
        return s;
    }

    @AfterAll
    static void stop() {
        if (intermediate != null) intermediate.close();
        if (legacyMx != null) legacyMx.close();
    }

    private static List<Listener> listeners(SealpostServer s) {
        return List.of(new Listener("MX", "smtp", s.port(ListenerKind.MX)),
                new Listener("submission", "smtp", s.port(ListenerKind.SUBMISSION)),
                new Listener("submissions", null, s.port(ListenerKind.SUBMISSIONS)),
                new Listener("IMAP", "imap", s.imapPort(false)),
                new Listener("IMAPS", null, s.imapPort(true)),
                new Listener("POP3", "pop3", s.pop3Port(false)),
                new Listener("POP3S", null, s.pop3Port(true)),
                new Listener("HTTPS", null, s.httpPort(true)),
                new Listener("ManageSieve", "sieve", s.manageSievePort()));
    }

    private static Peers.Result sClient(Listener l, String... extra) throws Exception {
        Peers.require("openssl");
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + l.port(), "-brief"));
        if (l.starttls() != null) cmd.addAll(List.of("-starttls", l.starttls()));
        cmd.addAll(List.of(extra));
        return Peers.run(List.of("sh", "-c", String.join(" ", cmd.stream().map(a -> "'" + a + "'").toList()) + " </dev/null"), dir, 30);
    }

    private static void accepted(Listener l, String protocol, String suite, String... args) throws Exception {
        Peers.Result r = sClient(l, args);
        String what = l.name() + " " + String.join(" ", args);
        assertThat(r.exit()).as(what + ": " + r.output()).isZero();
        assertThat(r.output()).as(what).contains("Protocol version: " + protocol);
        if (suite != null) assertThat(r.output()).as(what).contains("Ciphersuite: " + suite);
    }

    private static void refused(Listener l, String... args) throws Exception {
        Peers.Result r = sClient(l, args);
        assertThat(r.exit()).as(l.name() + " " + String.join(" ", args) + " must fail: " + r.output()).isNotZero();
    }

    @Test
    void everyListenerSpeaksTls13AndTls12EcdheAeadOnly() throws Exception {
        for (Listener l : listeners(intermediate)) {
            accepted(l, "TLSv1.3", null);
            accepted(l, "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
            accepted(l, "TLSv1.2", "ECDHE-RSA-CHACHA20-POLY1305", "-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305");
            refused(l, "-tls1_2", "-cipher", "AES128-SHA"); // static RSA key exchange and CBC
            refused(l, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"); // CBC
            refused(l, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-SHA"); // CBC with HMAC-SHA-1
            refused(l, "-tls1_2", "-cipher", "AES128-GCM-SHA256"); // static RSA key exchange (RFC 9325 §4.1)
            refused(l, "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256"); // finite-field DHE (RFC 9325 §4.1)
            // SECLEVEL=0 makes openssl really offer TLS 1.1: the refusal is the server's (RFC 8996 §2-§3)
            refused(l, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        }
    }

    @Test
    void theServerChoosesTheSuiteFromItsOwnOrder() throws Exception {
        // the client lists CHACHA20 first; RFC 9325 §4.2's AES-128-GCM comes first in our order
        Listener submissions = listeners(intermediate).get(2);
        accepted(submissions, "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256",
                "-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256");
    }

    @Test
    void alpnNamesTheProtocolAndAnotherProtocolIsRefused() throws Exception {
        List<Listener> l = listeners(intermediate);
        // RFC 7301 §3.2: no_application_protocol for a client that wants something else (ALPACA)
        accepted(l.get(4), "TLSv1.3", null, "-alpn", "imap");
        refused(l.get(4), "-alpn", "http/1.1");
        accepted(l.get(6), "TLSv1.3", null, "-alpn", "pop3");
        refused(l.get(6), "-alpn", "imap");
        accepted(l.get(7), "TLSv1.3", null, "-alpn", "h2,http/1.1");
        refused(l.get(7), "-alpn", "imap");
        accepted(l.get(8), "TLSv1.3", null, "-alpn", "managesieve");
        refused(l.get(8), "-alpn", "imap");
    }

    @Test
    void legacyOnTheMxAddsEcdheCbcThereOnly() throws Exception {
        List<Listener> l = listeners(legacyMx);
        Listener mx = l.getFirst();
        accepted(mx, "TLSv1.3", null);
        accepted(mx, "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "-tls1_2"); // AEAD still preferred
        accepted(mx, "TLSv1.2", "ECDHE-RSA-AES128-SHA256", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256");
        accepted(mx, "TLSv1.2", "ECDHE-RSA-AES256-SHA", "-tls1_2", "-cipher", "ECDHE-RSA-AES256-SHA");
        refused(mx, "-tls1_2", "-cipher", "AES128-SHA"); // still no static RSA
        refused(mx, "-tls1_2", "-cipher", "DHE-RSA-AES128-SHA256"); // nor DHE
        refused(mx, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"); // nor below TLS 1.2
        for (Listener other : l.subList(1, l.size())) refused(other, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256");
    }
}
