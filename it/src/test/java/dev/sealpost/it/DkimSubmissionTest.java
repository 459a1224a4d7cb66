package dev.sealpost.it;

import dev.sealpost.app.Main;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Directory;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DKIM signing at submission end to end: keys made with {@code sealpost dkim keygen} while the
 * server runs, a message submitted by swaks, and the stored copy verified by dkimpy (an
 * independent implementation) against the records the CLI printed: both signatures pass.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DkimSubmissionTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static List<Directory.DkimKey> keys;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
        // the admin adds keys at run time through the CLI, on the running server's database
        Path data = dir.resolve("data");
        cli("dkim", "keygen", "--domain", TestServer.DOMAIN, "--selector", "rsa202611", "--algorithm", "rsa", "--data", data.toString());
        cli("dkim", "keygen", "--domain", TestServer.DOMAIN, "--selector", "ed202611", "--algorithm", "ed25519", "--data", data.toString());
        keys = server.store().directory().signingKeys(TestServer.DOMAIN);
        assertThat(keys).hasSize(2);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String cli(String... args) {
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

    private static Peers.Result swaks(String... args) throws Exception {
        Peers.require("swaks");
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--timeout", "20"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, dir, 60);
    }

    /** dkimpy's verdict per DKIM-Signature field, top first, with our keys' records as the only DNS. */
    private static String dkimpy(String message) throws Exception {
        Peers.require("python3");
        Peers.Result probe = Peers.run(List.of("/usr/bin/python3", "-c", "import dkim"), dir, 30);
        Peers.require(probe.exit() == 0, "python3-dkim (dkimpy)");
        Path records = Files.createTempFile(dir, "records", ".txt");
        StringBuilder sb = new StringBuilder();
        for (Directory.DkimKey k : keys) sb.append(k.recordName()).append(' ').append(k.publicRecord()).append('\n');
        Files.writeString(records, sb.toString(), StandardCharsets.US_ASCII);
        Path msg = Files.createTempFile(dir, "signed", ".eml");
        Files.write(msg, message.getBytes(StandardCharsets.UTF_8));
        Path script = Path.of(DkimSubmissionTest.class.getResource("dkimpy_verify.py").toURI());
        Peers.Result r = Peers.run(List.of("/usr/bin/python3", script.toString(), records.toString(), msg.toString()), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        List<String> lines = r.output().strip().lines().toList(); // reasons for failures come first, on stderr
        return lines.getLast();
    }

    @Test
    @Order(1)
    void submittedMailIsDualSignedAndDkimpyVerifiesBoth() throws Exception {
        Peers.Result r = swaks("--port", "" + server.port(ListenerKind.SUBMISSION), "--tls",
                "--auth", "PLAIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD,
                "--from", TestServer.USER, "--to", "bob@example.test",
                "--header", "Subject: dkim e2e submission", "--body", "Signed on the way out.\nSecond line.");
        assertThat(r.exit()).as(r.output()).isZero();
        String stored = server.awaitContent("bob@example.test", "Subject: dkim e2e submission");
        int rsa = stored.indexOf("DKIM-Signature: v=1; a=rsa-sha256;");
        int ed = stored.indexOf("DKIM-Signature: v=1; a=ed25519-sha256;");
        int received = stored.indexOf("\r\nReceived: ");
        assertThat(rsa).as(stored).isPositive();
        assertThat(ed).as(stored).isGreaterThan(rsa); // RSA on top (RFC 8463 §4 leaves the order open)
        assertThat(received).isGreaterThan(ed);         // prepended above our trace field
        assertThat(stored).contains("s=rsa202611;").contains("s=ed202611;").contains("d=example.test;");
        assertThat(dkimpy(stored)).isEqualTo("pass pass");
        // and dkimpy is a real check: a changed body fails both
        assertThat(dkimpy(stored.replace("Signed on the way out.", "Changed on the way."))).isEqualTo("fail fail");
    }

    @Test
    @Order(3)
    void implicitTlsSubmissionIsSignedWithTheActiveKeyAfterRetirement() throws Exception {
        cli("dkim", "rotate", "--domain", TestServer.DOMAIN, "--algorithm", "ed25519", "--selector", "ed202612",
                "--data", dir.resolve("data").toString());
        try {
            keys = server.store().directory().dkimKeys(TestServer.DOMAIN);
            Peers.Result r = swaks("--port", "" + server.port(ListenerKind.SUBMISSIONS), "--tls-on-connect",
                    "--auth", "LOGIN", "--auth-user", TestServer.USER, "--auth-password", TestServer.PASSWORD,
                    "--from", TestServer.USER, "--to", "bob@example.test", "--header", "Subject: dkim e2e rotated");
            assertThat(r.exit()).as(r.output()).isZero();
            String stored = server.awaitContent("bob@example.test", "Subject: dkim e2e rotated");
            assertThat(stored).contains("s=rsa202611;").contains("s=ed202612;").doesNotContain("s=ed202611;");
            assertThat(dkimpy(stored)).isEqualTo("pass pass");
        } finally {
            keys = server.store().directory().signingKeys(TestServer.DOMAIN);
        }
    }

    @Test
    @Order(2)
    void mailArrivingAtTheMxIsNotSignedByUs() throws Exception {
        // a forged From in our domain from outside: we must not vouch for it
        Peers.Result r = swaks("--port", "" + server.port(ListenerKind.MX), "--from", "someone@elsewhere.test",
                "--to", "bob@example.test", "--header", "From: alice@example.test", "--header", "Subject: dkim e2e mx");
        assertThat(r.exit()).as(r.output()).isZero();
        String stored = server.awaitContent("bob@example.test", "Subject: dkim e2e mx");
        assertThat(stored).doesNotContain("DKIM-Signature:");
    }
}
