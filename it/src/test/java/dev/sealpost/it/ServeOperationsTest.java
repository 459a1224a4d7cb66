package dev.sealpost.it;

import dev.sealpost.app.tls.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve} as a process, as an operator meets it: SIGHUP reloads the certificate and
 * leaves the server running; a port already in use ends the demo with one clear line.
 */
class ServeOperationsTest {
    @TempDir
    Path dir;

    private Process start(Path log, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.sealpost.app.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void await(Path log, Process p, String text) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(end)) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return;
            if (!p.isAlive()) throw new AssertionError("server ended before '" + text + "':\n" + Files.readString(log));
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in:\n" + Files.readString(log));
    }

    @Test
    void sighupReloadsTheCertificateAndTheServerKeepsRunning() throws Exception {
        Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        TlsFiles.writeSelfSigned(cert, key, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        Path cfg = dir.resolve("sealpost.toml");
        Files.writeString(cfg, """
                [server]
                hostname = "mx.sealpost.test"
                postmaster = "postmaster@sealpost.test"
                data_dir = "data"
                [tls]
                certificate = "cert.pem"
                private_key = "key.pem"
                [dns]
                zone_file = "zone.txt"
                [listeners]
                smtp = "127.0.0.1:0"
                submission = ""
                submissions = ""
                imap = ""
                imaps = ""
                pop3 = ""
                pop3s = ""
                [managesieve]
                enabled = false
                """);
        Files.writeString(dir.resolve("zone.txt"), "$TTL 300\nsealpost.test. IN TXT \"v=spf1 -all\"\n");
        Path log = dir.resolve("serve.log");
        Process p = start(log, "serve", "--config", cfg.toString(), "--allow-root");
        try {
            await(log, p, "SMTP MX listener on");
            TlsFiles.writeSelfSigned(cert, key, "localhost", List.of("localhost"), List.of("127.0.0.1"));
            Files.writeString(cfg, Files.readString(cfg).replace("127.0.0.1:0", "127.0.0.1:1"));
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            await(log, p, "SIGHUP: certificate reloaded: subject=O=Sealpost demo,CN=localhost serial=");
            assertThat(Files.readString(log)).contains("SIGHUP: changed settings in [listeners] take effect at the next restart");
            assertThat(p.isAlive()).isTrue();
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBusyPortEndsTheDemoWithOneClearLine() throws Exception {
        int offset = 30_000 + (int) (ProcessHandle.current().pid() % 5000);
        try (ServerSocket busy = new ServerSocket(2587 + offset, 1, InetAddress.getByName("127.0.0.1"))) {
            Path log = dir.resolve("demo.log");
            Process p = start(log, "demo", "--data", dir.resolve("demo-data").toString(), "--password", "a demo password 42",
                    "--port-offset", Integer.toString(offset));
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            String text = Files.readString(log);
            assertThat(text).contains("error: cannot listen for submission (" + (2587 + offset) + ") on 127.0.0.1:" + (2587 + offset))
                    .contains("--port-offset N").contains("'listeners.submission'")
                    .doesNotContain("BindException").doesNotContain("\tat ");
        }
    }
}
