package dev.sealpost.it;

import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's sieve-connect (PEERS.md) against the whole server's ManageSieve listener (RFC 5804)
 * over STARTTLS with the test certificate verified: upload, list, activate, download; then mail
 * sent over SMTP is filed by the uploaded script into a folder (the real delivery path).
 */
class SieveConnectInteropTest {
    @TempDir
    static Path dir;
    static TestServer server;

    static final String SCRIPT = """
            require ["fileinto", "mailbox", "imap4flags"];
            # uploaded by sieve-connect
            if header :contains "subject" "[sieve-it]" {
                fileinto :create :flags "$Sorted" "Sorted";
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("server"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Runs sieve-connect with the password on fd 0 (--passwordfd 0) and the test CA. */
    static Peers.Result sieveConnect(String... args) throws Exception {
        Peers.require("sieve-connect");
        Path pw = dir.resolve("pw");
        Files.writeString(pw, TestServer.PASSWORD + "\n");
        List<String> cmd = new ArrayList<>(List.of("sieve-connect", "-s", "127.0.0.1", "-p", Integer.toString(server.server.manageSievePort()),
                "-u", TestServer.USER, "--passwordfd", "0", "--tlscafile", server.cert.toString(), "--tlshostname", "localhost",
                "--authmech", "PLAIN", "--noclearauth"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "sieve-connect", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File(pw.toString()))).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sieve-connect did not finish:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Peers.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void uploadListActivateDownloadThenDeliveryFilesIntoTheFolder() throws Exception {
        Path local = dir.resolve("sorting.sieve");
        Files.writeString(local, SCRIPT);
        Peers.Result r = sieveConnect("--upload", "--localsieve", local.toString(), "--remotesieve", "sorting");
        assertThat(r.exit()).as(r.output()).isZero();
        long alice = server.accountId(TestServer.USER);
        assertThat(server.store().sieveScripts().get(alice, "sorting")).get().extracting(s -> s.content()).isEqualTo(SCRIPT);

        r = sieveConnect("--list");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("\"sorting\"").doesNotContain("ACTIVE");

        r = sieveConnect("--activate", "--remotesieve", "sorting");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(server.store().sieveScripts().active(alice)).get().extracting(s -> s.name()).isEqualTo("sorting");
        r = sieveConnect("--list");
        assertThat(r.output()).contains("\"sorting\" ACTIVE"); // as the server sent it (RFC 5804 §2.7)

        Path back = dir.resolve("back.sieve");
        r = sieveConnect("--download", "--remotesieve", "sorting", "--localsieve", back.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(Files.readString(back)).isEqualTo(SCRIPT);

        // a script with a syntax error is refused with its line
        Path bad = dir.resolve("bad.sieve");
        Files.writeString(bad, "require \"fileinto\";\nfileinto \"x\"\n");
        r = sieveConnect("--upload", "--localsieve", bad.toString(), "--remotesieve", "bad");
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("line ");
        assertThat(server.store().sieveScripts().get(alice, "bad")).isEmpty();

        // the uploaded script files mail arriving over SMTP (delivery after the spool)
        server.deliverLocal(TestServer.USER, "From: sender@elsewhere.test\r\nTo: " + TestServer.USER
                + "\r\nSubject: [sieve-it] sorted\r\n\r\nmarker-sorted\r\n");
        String filed = server.awaitContent(TestServer.USER, "Sorted", "marker-sorted");
        assertThat(filed).contains("[sieve-it] sorted");
        assertThat(server.store().mailboxes().messages(alice, "Sorted").getFirst().flags()).contains("$Sorted");
        assertThat(server.inbox(TestServer.USER)).noneMatch(m -> {
            try {
                return server.content(m).contains("marker-sorted");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
