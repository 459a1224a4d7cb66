package dev.sealpost.it;

import dev.sealpost.app.Main;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's first hour: {@code quickstart} in an empty directory, then {@code serve} with the
 * config it wrote, unchanged, as a separate process. swaks submits with the printed password to
 * postmaster@ (an alias of the admin), curl reads it back over IMAPS trusting only the written
 * certificate for the host name, and dkimpy verifies both DKIM signatures against the DKIM
 * records quickstart printed (the only DNS it is given).
 */
class QuickstartServeTest {
    /** The standard ports quickstart writes, before the offset. */
    private static final int[] PORTS = {25, 587, 465, 143, 993, 110, 995, 4190, 80, 443};

    @TempDir
    Path dir;

    /** An offset that puts all ten ports on free ports above 1023 (checked by binding each on the wildcard address). */
    private static int freeOffset() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (allFree(offset)) return offset;
        }
        throw new IOException("no offset with ten free ports found");
    }

    private static boolean allFree(int offset) {
        for (int p : PORTS) {
            try (ServerSocket s = new ServerSocket(p + offset, 1, InetAddress.getByName("0.0.0.0"))) {
                s.setReuseAddress(false);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static String quickstart(String... args) {
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

    private Process serve(Path log, Path config) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.sealpost.app.Main", "serve", "--config", config.toString(), "--allow-root");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void await(Path log, Process p, String text) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(end)) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return;
            if (!p.isAlive()) throw new AssertionError("server ended before '" + text + "':\n" + Files.readString(log));
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in:\n" + Files.readString(log));
    }

    /** The DKIM TXT records of the printed zone text as "name value" lines (the character-strings joined, RFC 6376 §3.6.2.2). */
    static String dkimRecords(String printed) {
        StringBuilder sb = new StringBuilder();
        Matcher line = Pattern.compile("(?m)^(\\S+\\._domainkey\\.\\S+?)\\.? IN TXT (.+)$").matcher(printed);
        while (line.find()) {
            StringBuilder value = new StringBuilder();
            Matcher part = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line.group(2));
            while (part.find()) value.append(part.group(1).replaceAll("\\\\(.)", "$1"));
            sb.append(line.group(1)).append(' ').append(value).append('\n');
        }
        return sb.toString();
    }

    /** dkimpy's verdict per DKIM-Signature field, top first, with {@code records} as the only DNS. */
    private String dkimpy(Path records, String message) throws Exception {
        Peers.require("python3");
        Peers.Result probe = Peers.run(List.of("/usr/bin/python3", "-c", "import dkim"), dir, 30);
        Peers.require(probe.exit() == 0, "python3-dkim (dkimpy)");
        Path msg = Files.createTempFile(dir, "signed", ".eml");
        Files.write(msg, message.getBytes(StandardCharsets.UTF_8));
        Path script = Path.of(QuickstartServeTest.class.getResource("dkimpy_verify.py").toURI());
        Peers.Result r = Peers.run(List.of("/usr/bin/python3", script.toString(), records.toString(), msg.toString()), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().strip().lines().toList().getLast();
    }

    @Test
    void quickstartThenServeSendsDkimSignedMailThatDkimpyVerifiesAgainstThePrintedRecords() throws Exception {
        Peers.require("swaks");
        Peers.require("curl");
        int offset = freeOffset();
        Path data = dir.resolve("sealpost-data");
        String printed = quickstart("quickstart", "admin@quick.test", "--hostname", "mail.quick.test", "--data", data.toString(),
                "--port-offset", Integer.toString(offset));
        Matcher pw = Pattern.compile("has the password \\(shown only now, and nowhere else\\):\\n\\n {4}(\\S+)\\n").matcher(printed);
        assertThat(pw.find()).as(printed).isTrue();
        String password = pw.group(1);
        Path config = data.resolve("sealpost.toml");
        String records = dkimRecords(printed);
        assertThat(records.lines()).as(printed).hasSize(2).anyMatch(l -> l.contains("k=rsa;")).anyMatch(l -> l.contains("k=ed25519;"));
        Path recordsFile = dir.resolve("records.txt");
        Files.writeString(recordsFile, records, StandardCharsets.US_ASCII);

        Path log = dir.resolve("serve.log");
        Process p = serve(log, config);
        try {
            int submission = 587 + offset, imaps = 993 + offset;
            await(log, p, "SMTP SUBMISSION listener on 0.0.0.0:" + submission);
            await(log, p, "IMAPS listener on 0.0.0.0:" + imaps);
            await(log, p, "web listener=https");
            assertThat(Files.readString(log)).doesNotContain("config: server."); // no example value left

            Peers.Result sent = Peers.run(List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(submission), "--tls",
                    "--timeout", "30", "--auth", "PLAIN", "--auth-user", "admin@quick.test", "--auth-password", password,
                    "--from", "admin@quick.test", "--to", "postmaster@quick.test",
                    "--header", "Subject: first mail after quickstart", "--body", "Signed by the quickstart keys.\nSecond line."), dir, 90);
            assertThat(sent.exit()).as(sent.output()).isZero();

            // read it back as a mail client would: IMAPS to the host name, trusting only the written certificate
            Path fetched = dir.resolve("fetched.eml");
            Instant end = Instant.now().plus(Duration.ofSeconds(60));
            Peers.Result got;
            do {
                Files.deleteIfExists(fetched);
                got = Peers.run(List.of("curl", "-sS", "--max-time", "20", "--resolve", "mail.quick.test:" + imaps + ":127.0.0.1",
                        "--cacert", data.resolve("tls/cert.pem").toString(), "-u", "admin@quick.test:" + password,
                        "-o", fetched.toString(), "imaps://mail.quick.test:" + imaps + "/INBOX;UID=1"), dir, 60);
                if (got.exit() == 0 && Files.exists(fetched) && Files.size(fetched) > 0) break;
                Thread.sleep(300);
            } while (Instant.now().isBefore(end));
            assertThat(got.exit()).as(got.output()).isZero();
            String message = Files.readString(fetched, StandardCharsets.UTF_8);
            assertThat(message).contains("Subject: first mail after quickstart").contains("d=quick.test;")
                    .contains("DKIM-Signature: v=1; a=rsa-sha256;").contains("DKIM-Signature: v=1; a=ed25519-sha256;");
            assertThat(dkimpy(recordsFile, message)).isEqualTo("pass pass");
            // a real check: a changed body fails both
            assertThat(dkimpy(recordsFile, message.replace("Signed by the quickstart keys.", "Changed in transit."))).isEqualTo("fail fail");
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // the server ran from the data quickstart made, and quickstart still refuses to redo it
        List<String> again = new ArrayList<>(List.of("quickstart", "admin@quick.test", "--data", data.toString()));
        assertThat(Main.run(again.toArray(String[]::new))).isEqualTo(1);
    }
}
