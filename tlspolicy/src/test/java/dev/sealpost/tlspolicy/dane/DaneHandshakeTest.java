package dev.sealpost.tlspolicy.dane;

import static dev.sealpost.tlspolicy.dane.TlsaMatcher.associationData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.testkit.Peers;
import dev.sealpost.testkit.TestCerts;
import dev.sealpost.tlspolicy.TrustStores;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS handshakes against a tiny TLS server on 127.0.0.1:0: our {@link DaneTrustManager} in a JSSE
 * client, and a differential test against {@code openssl s_client -dane_tlsa_*} (skipped when
 * openssl is missing, unless {@code SEALPOST_REQUIRE_INTEROP=1}).
 */
class DaneHandshakeTest {
    static final TestCerts.Issued CA = TestCerts.ca("DANE Test CA");
    static final TestCerts.Issued LEAF = TestCerts.leaf(CA, "mx.example.com", List.of("mx.example.com"));
    static final TestCerts.Issued OTHER = TestCerts.selfSigned("other", List.of("other"));

    /** A TLS server that completes handshakes and then waits for the client to close. */
    static final class TinyTlsServer implements AutoCloseable {
        final SSLServerSocket socket;
        final Thread thread;

        TinyTlsServer(TestCerts.Issued cert) throws IOException {
            socket = (SSLServerSocket) cert.serverContext().getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        SSLSocket s = (SSLSocket) socket.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                s.setSoTimeout(10_000);
                                s.startHandshake();
                                InputStream in = s.getInputStream();
                                while (in.read() >= 0) { /* until the client closes */ }
                            } catch (IOException ignored) {
                                // a client that rejected our certificate
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static DaneTrustManager handshake(TinyTlsServer server, List<TlsaRecord> records, Set<String> names) throws IOException {
        DaneTrustManager tm = new DaneTrustManager(records, names, Clock.systemUTC());
        try (SSLSocket s = (SSLSocket) TrustStores.clientContext(tm).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
        }
        return tm;
    }

    @Test
    void jsseClientWithDaneTrustManager() throws IOException {
        try (TinyTlsServer server = new TinyTlsServer(LEAF)) {
            TlsaRecord ee = new TlsaRecord(3, 1, 1, associationData(LEAF.cert(), 1, 1));
            DaneTrustManager ok = handshake(server, List.of(ee), Set.of("mx.example.com"));
            assertThat(ok.verdict()).contains(new DaneVerdict.Matched(ee, 0));

            TlsaRecord ta = new TlsaRecord(2, 0, 1, associationData(CA.cert(), 0, 1));
            assertThat(handshake(server, List.of(ta), Set.of("mx.example.com")).verdict()).contains(new DaneVerdict.Matched(ta, 1));

            TlsaRecord wrong = new TlsaRecord(3, 1, 1, associationData(OTHER.cert(), 1, 1));
            assertThatThrownBy(() -> handshake(server, List.of(wrong), Set.of("mx.example.com")))
                    .isInstanceOf(SSLHandshakeException.class);
            // the verdict a failing handshake leaves behind
            DaneTrustManager tm = new DaneTrustManager(List.of(wrong), Set.of("mx.example.com"), Clock.systemUTC());
            assertThatThrownBy(() -> tm.checkServerTrusted(LEAF.chain().toArray(new X509Certificate[0]), "EC"))
                    .hasMessageContaining("NO_MATCH");
            assertThat(tm.verdict()).isPresent().get().extracting(DaneVerdict::matched).isEqualTo(false);
            assertThat(tm.getAcceptedIssuers()).isEmpty();
            assertThatThrownBy(() -> tm.checkClientTrusted(LEAF.chain().toArray(new X509Certificate[0]), "EC"))
                    .isInstanceOf(java.security.cert.CertificateException.class);
        }
    }

    // ---- differential: openssl s_client ----

    static boolean opensslPresent() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** openssl's DANE verify result: true when "Verify return code: 0". */
    static boolean opensslVerifies(int port, String tlsaDomain, TlsaRecord rr, boolean eeNoNameChecks) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "mx.example.com", "-dane_tlsa_domain", tlsaDomain, "-dane_tlsa_rrdata", rr.toString()));
        if (eeNoNameChecks) cmd.add("-dane_ee_no_namechecks");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("Verify return code: (\\d+)").matcher(out);
        assertThat(m.find()).as("openssl output: %s", out).isTrue();
        return m.group(1).equals("0");
    }

    @Test
    void agreesWithOpensslOnMatchesAndMismatches() throws Exception {
        Peers.require(opensslPresent(), "openssl");
        int compared = 0;
        try (TinyTlsServer server = new TinyTlsServer(LEAF)) {
            record Case(TlsaRecord rr, String domain, boolean expected) {}
            X509Certificate leaf = LEAF.cert();
            List<Case> cases = List.of(
                    new Case(new TlsaRecord(3, 1, 1, associationData(leaf, 1, 1)), "mx.example.com", true),
                    new Case(new TlsaRecord(3, 0, 1, associationData(leaf, 0, 1)), "mx.example.com", true),
                    new Case(new TlsaRecord(3, 1, 2, associationData(leaf, 1, 2)), "mx.example.com", true),
                    // DANE-EE ignores names: a TLSA domain that the certificate does not name still matches
                    new Case(new TlsaRecord(3, 1, 1, associationData(leaf, 1, 1)), "unrelated.example", true),
                    new Case(new TlsaRecord(3, 1, 1, associationData(OTHER.cert(), 1, 1)), "mx.example.com", false),
                    new Case(new TlsaRecord(3, 0, 2, associationData(OTHER.cert(), 0, 2)), "mx.example.com", false),
                    // DANE-TA with name checks
                    new Case(new TlsaRecord(2, 0, 1, associationData(CA.cert(), 0, 1)), "mx.example.com", true),
                    new Case(new TlsaRecord(2, 0, 1, associationData(CA.cert(), 0, 1)), "mx.other.example", false),
                    new Case(new TlsaRecord(2, 1, 1, associationData(OTHER.cert(), 1, 1)), "mx.example.com", false));
            for (Case c : cases) {
                boolean ours = TlsaMatcher.verify(List.of(c.rr()), LEAF.chain(), Set.of(c.domain()), new Date()).matched();
                boolean theirs = opensslVerifies(server.port(), c.domain(), c.rr(), c.rr().usage() == 3);
                assertThat(ours).as("ours for %s at %s", c.rr(), c.domain()).isEqualTo(c.expected());
                assertThat(theirs).as("openssl for %s at %s", c.rr(), c.domain()).isEqualTo(c.expected());
                compared++;
            }
        }
        assertThat(compared).isEqualTo(9);
    }
}
