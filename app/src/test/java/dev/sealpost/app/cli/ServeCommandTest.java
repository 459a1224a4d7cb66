package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.ConfigException;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code serve} as an operator meets it: a busy port, root, missing files, --port-offset, warnings, SIGHUP's certificate reload. */
class ServeCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Only the MX listener, on {@code port}; no TLS. */
    private Path config(int port, String extra) throws Exception {
        Path cfg = dir.resolve("sealpost.toml");
        Files.writeString(cfg, """
                [server]
                hostname = "mx.sealpost.test"
                postmaster = "postmaster@sealpost.test"
                data_dir = "data"
                [dns]
                zone_file = "zone.txt"
                [listeners]
                smtp = "127.0.0.1:%d"
                submission = ""
                submissions = ""
                imap = ""
                imaps = ""
                pop3 = ""
                pop3s = ""
                [managesieve]
                enabled = false
                """.formatted(port) + extra);
        Files.writeString(dir.resolve("zone.txt"), "$TTL 300\nsealpost.test. IN TXT \"v=spf1 -all\"\n");
        return cfg;
    }

    @Test
    void aPortInUseEndsServeWithTheListenerThePortAndTheWaysOut() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path cfg = config(busy.getLocalPort(), "");
            int code = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> Main.run("serve", "--config", cfg.toString(), "--allow-root"));
            assertThat(code).isEqualTo(2);
            assertThat(err()).contains("error: cannot listen for smtp (" + busy.getLocalPort() + ") on 127.0.0.1:" + busy.getLocalPort())
                    .contains("already in use").contains("--port-offset").contains("'listeners.smtp'")
                    .doesNotContain("BindException").doesNotContain("\tat ");
        }
    }

    @Test
    void portOffsetShiftsEveryListener() throws Exception {
        SealpostConfig c = SealpostConfig.load(config(2525, "")).withPortOffset(10000);
        assertThat(c.listeners().smtp()).get().extracting(a -> a.getPort()).isEqualTo(12525);
        assertThat(c.listeners().submission()).isEmpty();
        assertThatThrownBy(() -> SealpostConfig.load(config(65000, "")).withPortOffset(1000))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners.smtp").hasMessageContaining("66000");
    }

    @Test
    void rootIsRefusedWithoutAllowRoot() throws Exception {
        assumeTrue(ServeCommand.isRoot(), "not running as root");
        assertThat(Main.run("serve", "--config", config(0, "").toString())).isEqualTo(2);
        assertThat(err()).contains("refusing to run as root").contains("--allow-root");
        assertThat(Files.exists(dir.resolve("data"))).isFalse();
    }

    @Test
    void aMissingTlsFileIsFoundBeforeTheDataDirectoryIsCreated() throws Exception {
        Path cfg = config(0, "[tls]\ncertificate = \"tls/missing.pem\"\nprivate_key = \"tls/key.pem\"\n");
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Main.run("serve", "--config", cfg.toString(), "--allow-root"));
        assertThat(code).isEqualTo(2);
        assertThat(err()).contains("key 'tls.certificate': file " + dir.resolve("tls/missing.pem") + " does not exist");
        assertThat(Files.exists(dir.resolve("data"))).as("the data directory is not touched").isFalse();
    }

    @Test
    void aMissingConfigFileIsSaidPlainly() {
        assertThat(Main.run("serve", "--config", dir.resolve("nope.toml").toString(), "--allow-root")).isEqualTo(2);
        assertThat(err()).contains("error: config file " + dir.resolve("nope.toml") + " does not exist");
    }

    @Test
    void exampleValuesAreWarnedAbout() throws Exception {
        SealpostConfig example = SealpostConfig.load(Path.of("../conf/sealpost.toml"));
        assertThat(example.warnings()).anyMatch(w -> w.startsWith("server.hostname is 'mail.example.com'"))
                .anyMatch(w -> w.startsWith("server.postmaster is empty"));
        assertThat(SealpostConfig.load(config(0, "")).warnings()).isEmpty();
    }

    @Test
    void reloadingTheCertificateServesTheNewOneToNewConnections() throws Exception {
        Path cert = dir.resolve("tls/cert.pem"), key = dir.resolve("tls/key.pem");
        TlsFiles.writeSelfSigned(cert, key, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        Path cfg = config(0, "[tls]\ncertificate = \"tls/cert.pem\"\nprivate_key = \"tls/key.pem\"\n");
        try (SealpostServer server = new SealpostServer(SealpostConfig.load(cfg), Clock.systemUTC())) {
            server.start();
            int port = server.port(dev.sealpost.smtp.server.ListenerKind.MX);
            BigInteger first = peerSerial(port);
            assertThat(first).isEqualTo(serial(cert));
            TlsFiles.writeSelfSigned(cert, key, "localhost", List.of("localhost"), List.of("127.0.0.1"));
            assertThat(server.reloadCertificates()).startsWith("certificate reloaded:");
            BigInteger second = peerSerial(port);
            assertThat(second).isEqualTo(serial(cert)).isNotEqualTo(first);
            // a broken file leaves the pair in use
            Files.writeString(cert, "not a certificate");
            assertThatThrownBy(server::reloadCertificates).isInstanceOf(ConfigException.class);
            assertThat(peerSerial(port)).isEqualTo(second);
        }
        SealpostConfig before = SealpostConfig.load(config(2525, ""));
        assertThat(ServeCommand.changedSections(before, SealpostConfig.load(config(2525, "")))).isEmpty();
        assertThat(ServeCommand.changedSections(before, SealpostConfig.load(config(2526, "[log]\nlevel = \"debug\"\n"))))
                .as("[log] is applied on SIGHUP, so not listed").containsExactly("listeners");
    }

    private static BigInteger serial(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return ((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
    }

    /** STARTTLS on the MX and the serial number of the certificate the server shows. */
    private static BigInteger peerSerial(int port) throws Exception {
        try (java.net.Socket plain = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            var w = plain.getOutputStream();
            assertThat(in.readLine()).startsWith("220");
            w.write("EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
            for (String l = in.readLine(); l != null && !l.startsWith("250 "); l = in.readLine()) { }
            w.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("220");
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) { }
                public void checkServerTrusted(X509Certificate[] c, String a) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true)) {
                tls.startHandshake();
                return ((X509Certificate) tls.getSession().getPeerCertificates()[0]).getSerialNumber();
            }
        }
    }
}
