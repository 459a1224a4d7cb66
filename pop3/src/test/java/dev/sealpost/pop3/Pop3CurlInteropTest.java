package dev.sealpost.pop3;

import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop with curl's POP3 client (libcurl: STLS, SASL PLAIN / USER, LIST, RETR, DELE).
 * Skipped when curl is missing, unless SEALPOST_REQUIRE_INTEROP=1.
 */
class Pop3CurlInteropTest extends Pop3TestBase {

    static Path curl() {
        for (String d : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            Path p = Path.of(d, "curl");
            if (Files.isExecutable(p)) return p;
        }
        return Peers.missing("interop peer 'curl' is not installed");
    }

    record Result(int exit, String out, String err) {}

    static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(curl().toString());
        cmd.addAll(List.of("-s", "-S", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Thread t = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        copy(p.getInputStream(), out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("curl finished").isTrue();
        t.join();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (Exception ignored) {
            // process ended
        }
    }

    @Test
    void retrAndListOverStlsWithSslReqd() throws Exception {
        String m1 = message("first", ".dotted line\r\nsecond\r\n");
        String m2 = message("second", "x\r\n");
        append(ALICE, m1);
        append(ALICE, m2);
        Pop3Server server = startStls();
        String base = "pop3://127.0.0.1:" + server.port() + "/";

        Result retr = run(base + "1", "-u", ALICE + ":" + PW, "--ssl-reqd", "-k");
        assertThat(retr.exit()).as(retr.err()).isZero();
        assertThat(retr.out()).isEqualTo(m1);

        // LIST: a URL without a message number
        Result list = run(base, "-u", ALICE + ":" + PW, "--ssl-reqd", "-k");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).isEqualTo("1 " + m1.length() + "\r\n2 " + m2.length() + "\r\n");

        // SASL-IR (RFC 5034 initial response)
        Result ir = run(base + "2", "-u", ALICE + ":" + PW, "--ssl-reqd", "-k", "--sasl-ir");
        assertThat(ir.exit()).as(ir.err()).isZero();
        assertThat(ir.out()).isEqualTo(m2);

        // wrong password: curl reports a login failure (exit 67)
        Result bad = run(base + "1", "-u", ALICE + ":wrong", "--ssl-reqd", "-k");
        assertThat(bad.exit()).isEqualTo(67);
        assertThat(bad.out()).isEmpty();
    }

    @Test
    void deleWithQuitExpunges() throws Exception {
        append(ALICE, message("first", "1\r\n"));
        append(ALICE, message("second", "2\r\n"));
        Pop3Server server = startStls();
        // curl sends the custom command, then QUIT: the UPDATE state removes message 1
        Result dele = run("pop3://127.0.0.1:" + server.port() + "/1", "-u", ALICE + ":" + PW, "--ssl-reqd", "-k",
                "-X", "DELE", "-I");
        assertThat(dele.exit()).as(dele.err()).isZero();
        assertThat(inboxMessages(ALICE)).hasSize(1);
    }

    @Test
    void pop3sImplicitTls() throws Exception {
        String m = message("hello", "body\r\n");
        append(ALICE, m);
        Pop3Server server = start(config(true, false));
        Result retr = run("pop3s://127.0.0.1:" + server.port() + "/1", "-u", ALICE + ":" + PW, "-k");
        assertThat(retr.exit()).as(retr.err()).isZero();
        assertThat(retr.out()).isEqualTo(m);
    }

    @Test
    void plaintextRefusedWithoutTls() throws Exception {
        append(ALICE, message("hello", "body\r\n"));
        Pop3Server server = startStls();
        // without --ssl-reqd curl does not use STLS, and finds no way to log in
        Result r = run("pop3://127.0.0.1:" + server.port() + "/1", "-u", ALICE + ":" + PW);
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
    }
}
