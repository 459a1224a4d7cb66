package dev.sealpost.it;

import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sealpost demo} as a user runs it: a separate process with a random --port-offset
 * (its ports are fixed by design, so the test shifts them to a free range), mail through it
 * with swaks, then SIGTERM stops it cleanly.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeOffset() {
        for (int i = 0; i < 50; i++) {
            int o = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            if (java.util.stream.IntStream.of(2525, 2587, 2465, 2143, 2993, 2110, 2995, 2080, 2443).allMatch(p -> free(p + o))) return o;
        }
        throw new AssertionError("no free port range found");
    }

    @Test
    void demoRunsSendsMailAndStopsOnSigterm() throws Exception {
        Peers.require("swaks");
        int offset = freeOffset();
        Path log = dir.resolve("demo.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.sealpost.app.Main", "demo", "--data", dir.resolve("demo-data").toString(),
                "--password", "demo-pass-42", "--port-offset", Integer.toString(offset))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Instant end = Instant.now().plus(Duration.ofSeconds(60));
            while (Instant.now().isBefore(end) && !Files.readString(log).contains("Sealpost demo is running")) {
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(50);
            }
            String banner = Files.readString(log);
            assertThat(banner).contains("demo@example.test").contains("demo-pass-42")
                    .contains("127.0.0.1:" + (2525 + offset)).contains("127.0.0.1:" + (2587 + offset)).contains("127.0.0.1:" + (2465 + offset));
            assertThat(Files.exists(dir.resolve("demo-data/tls/cert.pem"))).isTrue();
            Peers.Result r = Peers.run(List.of("swaks", "--server", "127.0.0.1", "--port", "" + (2587 + offset), "--tls",
                    "--auth", "PLAIN", "--auth-user", "demo@example.test", "--auth-password", "demo-pass-42",
                    "--from", "demo@example.test", "--to", "demo@example.test", "--timeout", "20"), dir, 60);
            assertThat(r.exit()).as(r.output()).isZero();
            end = Instant.now().plus(Duration.ofSeconds(20));
            while (Instant.now().isBefore(end) && !Files.readString(log).contains("delivered: mailboxes=1")) Thread.sleep(50);
            assertThat(Files.readString(log)).contains("delivered: mailboxes=1");
            // the MX checks senders against the demo's own zone file, without any DNS traffic
            Peers.Result mx = Peers.run(List.of("swaks", "--server", "127.0.0.1", "--port", "" + (2525 + offset),
                    "--from", "demo@example.test", "--to", "demo@example.test", "--timeout", "20"), dir, 60);
            assertThat(mx.exit()).as(mx.output()).isZero();
            end = Instant.now().plus(Duration.ofSeconds(20));
            while (Instant.now().isBefore(end) && !Files.readString(log).contains("auth: spf=pass")) Thread.sleep(50);
            assertThat(Files.readString(log)).contains("auth: spf=pass").contains("dmarc=pass from=example.test");
            // the demo zone's PTR for 127.0.0.1 names localhost, whose A record is 127.0.0.1: iprev=pass (issue 16)
            Peers.require("curl");
            end = Instant.now().plus(Duration.ofSeconds(20));
            Peers.Result fetched;
            do {
                fetched = Peers.run(List.of("curl", "-s", "--cacert", dir.resolve("demo-data/tls/cert.pem").toString(),
                        "-u", "demo@example.test:demo-pass-42", "imaps://127.0.0.1:" + (2993 + offset) + "/INBOX;UID=2"), dir, 60);
                if (fetched.output().contains("Authentication-Results")) break;
                Thread.sleep(200);
            } while (Instant.now().isBefore(end));
            assertThat(fetched.output()).contains("iprev=pass policy.iprev=127.0.0.1");
            // example.test has DKIM keys from the start: what demo@ submits is signed (RSA and Ed25519)
            Peers.Result submitted = Peers.run(List.of("curl", "-s", "--cacert", dir.resolve("demo-data/tls/cert.pem").toString(),
                    "-u", "demo@example.test:demo-pass-42", "imaps://127.0.0.1:" + (2993 + offset) + "/INBOX;UID=1"), dir, 60);
            assertThat(submitted.output()).contains("DKIM-Signature: v=1; a=rsa-sha256;").contains("d=example.test;")
                    .contains("a=ed25519-sha256");
            // demo@example.test is a server admin of the admin API (issue 16)
            Peers.Result me = Peers.run(List.of("curl", "-s", "--cacert", dir.resolve("demo-data/tls/cert.pem").toString(),
                    "-u", "demo@example.test:demo-pass-42", "https://127.0.0.1:" + (2443 + offset) + "/api/v1/me"), dir, 60);
            assertThat(me.output()).contains("\"address\":\"demo@example.test\"").contains("\"role\":\"admin\"");
        } finally {
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).contains("stopped");
        // the log never carries the password outside the banner lines that show it to the user
        assertThat(Files.readAllLines(log).stream().filter(l -> l.contains("demo-pass-42")))
                .hasSize(4)
                .allMatch(l -> l.contains("password  demo-pass-42") || l.startsWith("Try: swaks") || l.startsWith("     curl --cacert"));
    }
}
