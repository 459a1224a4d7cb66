package dev.sealpost.app.acme;

import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.testkit.Peers;
import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ACME against a real Pebble (Debian's {@code pebble}, test certificates from
 * {@code shared/conformance/acme-pebble}): pebble-challtestsrv answers every A query with
 * 127.0.0.1, so Pebble's VA validates HTTP-01 on our HTTP listener and TLS-ALPN-01 (RFC 8737) on
 * our HTTPS listener (its httpPort / tlsPort point there). The server starts with the placeholder,
 * is issued a certificate, renews it (forced), and {@code openssl s_client} on IMAPS and
 * submissions sees each new certificate (by serial, verified up to Pebble's root) without a restart.
 */
class AcmePebbleTest {
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"http-01", "tls-alpn-01", "http-01 roll_key"})
    void issuesAndRenewsAndEveryListenerServesTheNewCertificateWithoutARestart(String variant) throws Exception {
        String challenge = variant.split(" ")[0];
        boolean roll = variant.endsWith("roll_key");
        Peers.require("pebble");
        Peers.require("pebble-challtestsrv");
        Peers.require("openssl");
        Path suite = SharedSuite.path("acme-pebble");
        // Pebble runs first (the server obtains its certificate at start), so our HTTP(S) ports are chosen ahead too
        int[] ports = freePorts(6);
        int acmePort = ports[0], mgmtPort = ports[1], dnsPort = ports[2], dnsMgmtPort = ports[3], httpPort = ports[4], httpsPort = ports[5];
        Path cfg = dir.resolve("sealpost.toml");
        Files.writeString(cfg, """
                [server]
                hostname = "mail.sealpost.test"
                data_dir = "data"
                [dns]
                zone_file = "zone.txt"
                [listeners]
                smtp = ""
                submission = ""
                submissions = "127.0.0.1:0"
                imap = ""
                imaps = "127.0.0.1:0"
                pop3 = ""
                pop3s = ""
                http = "127.0.0.1:%d"
                https = "127.0.0.1:%d"
                [managesieve]
                enabled = false
                [acme]
                enabled = true
                directory = "https://127.0.0.1:%d/dir"
                contact = "mailto:postmaster@sealpost.test"
                trust_ca = "%s"
                challenge = "%s"
                roll_key = %s
                """.formatted(httpPort, httpsPort, acmePort, suite.resolve("pebble.minica.pem"), challenge, roll));
        Files.writeString(dir.resolve("zone.txt"), "$TTL 300\nsealpost.test. IN TXT \"v=spf1 -all\"\n");
        SealpostConfig config = SealpostConfig.load(cfg);
        try (dev.sealpost.store.Store st = dev.sealpost.store.Store.open(SealpostServer.storeConfig(config, Clock.systemUTC()))) {
            st.directory().addDomain("sealpost.test"); // the default names: mail.sealpost.test, mta-sts. and autoconfig.sealpost.test
        }
        try {
            // Pebble's VA fetches http://<name>:<httpPort>/… and connects to <name>:<tlsPort>: our listeners
            Path pebbleCfg = dir.resolve("pebble.json");
            Files.writeString(pebbleCfg, """
                    {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                      "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                      "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                    """.formatted(acmePort, mgmtPort, suite.resolve("localhost-cert.pem"), suite.resolve("localhost-key.pem"),
                    httpPort, httpsPort));
            start(List.of("pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", "127.0.0.1:" + dnsPort,
                    "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + dnsMgmtPort), "challtestsrv");
            start(List.of("pebble", "-config", pebbleCfg.toString(), "-dnsserver", "127.0.0.1:" + dnsPort), "pebble");
            awaitPort(dnsMgmtPort);
            awaitPort(acmePort);
            awaitPort(mgmtPort);
        } catch (Exception | AssertionError e) {
            stopProcesses();
            throw e;
        }
        try (SealpostServer server = new SealpostServer(config, Clock.systemUTC())) {
            server.start();
            int imaps = server.imapPort(true), submissions = server.port(ListenerKind.SUBMISSIONS);
            AcmeCertificates acme = server.acme();
            // the service obtains the first certificate by itself at start (until then: the placeholder)
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            X509Certificate leaf1 = acme.currentLeaf();
            while (leaf1 == null || AcmeCertificates.isPlaceholder(leaf1)) {
                assertThat(System.nanoTime()).as("first certificate at start-up").isLessThan(end);
                Thread.sleep(200);
                leaf1 = acme.currentLeaf();
            }
            assertThat(AcmeCertificates.covers(leaf1, List.of("mail.sealpost.test", "mta-sts.sealpost.test", "autoconfig.sealpost.test")))
                    .isTrue();
            assertThat(acme.pendingChallenges()).isZero();
            Path root = dir.resolve("pebble-root.pem");
            Files.writeString(root, pebbleRoot(suite.resolve("pebble.minica.pem"), mgmtPort));
            assertThat(served(imaps, root).getSerialNumber()).isEqualTo(leaf1.getSerialNumber());
            assertThat(served(submissions, root).getSerialNumber()).isEqualTo(leaf1.getSerialNumber());
            // RFC 8737 §3: with no validation pending, an acme-tls/1 handshake gets no certificate at all
            Peers.Result alpn = Peers.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.httpPort(true),
                    "-servername", "mail.sealpost.test", "-alpn", "acme-tls/1"), dir, 30);
            assertThat(alpn.output()).doesNotContain("-----BEGIN CERTIFICATE-----").doesNotContain("ALPN protocol: acme-tls/1\nServer certificate");
            assertThat(alpn.exit()).isNotZero();
            // not due again before two thirds of its lifetime
            assertThat(acme.renew(false)).isInstanceOf(AcmeCertificates.Outcome.NotDue.class);

            Path acmeDir = SealpostConfig.Acme.dir(server.config().server().dataDir());
            java.util.Optional<String> announced = AcmeCertificates.nextKeySpkiSha256(acmeDir);
            assertThat(announced.isPresent()).as("a next key exactly with roll_key").isEqualTo(roll);

            AcmeCertificates.Outcome second = acme.renew(true);
            assertThat(second).as("renewal").isInstanceOf(AcmeCertificates.Outcome.Issued.class);
            AcmeCertificates.Outcome.Issued renewed = (AcmeCertificates.Outcome.Issued) second;
            X509Certificate leaf2 = renewed.leaf();
            assertThat(leaf2.getSerialNumber()).isNotEqualTo(leaf1.getSerialNumber());
            if (roll) {
                // RFC 7671 §8.1: the new certificate has the key whose TLSA was announced before the renewal
                assertThat(renewed.newKey()).isTrue();
                assertThat(leaf2.getPublicKey()).isNotEqualTo(leaf1.getPublicKey());
                assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(leaf2.getPublicKey().getEncoded()))).isEqualTo(announced.orElseThrow());
                assertThat(AcmeCertificates.nextKeySpkiSha256(acmeDir)).isPresent().isNotEqualTo(announced);
            } else {
                assertThat(renewed.newKey()).as("the key is kept (DANE)").isFalse();
                assertThat(leaf2.getPublicKey()).isEqualTo(leaf1.getPublicKey());
            }
            for (int port : new int[] {imaps, submissions}) {
                assertThat(served(port, root).getSerialNumber()).as("new certificate on port %d without a restart", port)
                        .isEqualTo(leaf2.getSerialNumber());
            }
        } finally {
            stopProcesses();
        }
    }

    private void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        processes.clear();
    }

    /** The leaf {@code openssl s_client} sees on a port (SNI mail.sealpost.test); with {@code root}, the chain must verify. */
    private X509Certificate served(int port, Path root) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "mail.sealpost.test", "-showcerts"));
        if (root != null) cmd.addAll(List.of("-CAfile", root.toString(), "-verify_hostname", "mail.sealpost.test", "-verify_return_error"));
        Peers.Result r = Peers.run(cmd, dir, 30);
        if (root != null) assertThat(r.output()).contains("Verify return code: 0 (ok)");
        int begin = r.output().indexOf("-----BEGIN CERTIFICATE-----");
        assertThat(begin).as(r.output()).isGreaterThanOrEqualTo(0);
        String pem = r.output().substring(begin, r.output().indexOf("-----END CERTIFICATE-----", begin) + 25);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Pebble makes a new root at each start: its management API hands it out. */
    private static String pebbleRoot(Path minica, int mgmtPort) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(minica)) {
            ts.setCertificateEntry("minica", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (HttpClient c = HttpClient.newBuilder().sslContext(ctx).build()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + mgmtPort + "/roots/0")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }
    }

    private void start(List<String> command, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        processes.add(pb.start());
    }

    /** {@code n} distinct free loopback ports (all held open together, so no two are the same). */
    private static int[] freePorts(int n) throws Exception {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : held) s.close();
        }
    }

    private static void awaitPort(int port) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > end) throw new AssertionError("port " + port + " did not open in 20 s");
                Thread.sleep(100);
            }
        }
    }
}
