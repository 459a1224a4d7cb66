package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost filter explain}: what an administrator sees. */
class FilterCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    private InputStream oldIn;

    @BeforeEach
    void setUp() {
        oldOut = System.out;
        oldErr = System.err;
        oldIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
    }

    private int run(String stdin, String... args) {
        out.reset();
        err.reset();
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return Main.run(args);
    }

    private List<String> explain(String message, String... extra) {
        List<String> args = new ArrayList<>(List.of("filter", "explain", "--ip", "192.0.2.7", "--helo", "mx.sender.example",
                "--mail-from", "someone@sender.example", "--rcpt", "boss@kartapuce.fr"));
        args.addAll(List.of(extra));
        assertThat(run(message, args.toArray(String[]::new))).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void plainMessageIsInbox() {
        assertThat(explain("From: Ann <ann@sender.example>\r\nSubject: hi\r\n\r\nHello.\r\n")).containsExactly("inbox 0.0");
    }

    @Test
    void zipHoldingAnExeIsQuarantined() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(zip)) {
            z.putNextEntry(new java.util.zip.ZipEntry("invoice.pdf.exe"));
            z.write("MZ".getBytes(StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        String msg = "From: a@sender.example\r\nSubject: invoice\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/zip; name=invoice.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(zip.toByteArray()) + "\r\n--b--\r\n";
        List<String> lines = explain(msg);
        assertThat(lines.get(0)).isEqualTo("quarantine 14.0");
        assertThat(lines).contains("dangerous_attachment 8.0 exe: invoice.zip/invoice.pdf.exe",
                "double_extension 6.0 .pdf.exe: invoice.zip/invoice.pdf.exe");
    }

    @Test
    void dnsListsFromTheZoneFile() throws Exception {
        Path zone = dir.resolve("lists.txt");
        Files.writeString(zone, """
                $TTL 300
                7.2.0.192.bl.lists.test. IN A 127.0.0.2
                7.2.0.192.bl.lists.test. IN TXT "listed: test"
                evil.example.uri.lists.test. IN A 127.0.0.2
                """);
        List<String> listed = explain("From: Ann <ann@sender.example>\r\n\r\nSee http://www.evil.example/x\r\n",
                "--zone", zone.toString(), "--dnsbl", "bl.lists.test", "--uribl", "uri.lists.test");
        assertThat(listed.get(0)).isEqualTo("reject 10.0");
        assertThat(listed).anyMatch(l -> l.startsWith("dnsbl_bl_lists_test 5.0 192.0.2.7 listed in bl.lists.test (127.0.0.2): listed: test"))
                .anyMatch(l -> l.startsWith("uribl_uri_lists_test 5.0 evil.example listed in uri.lists.test"));
        assertThat(run("x\r\n", "filter", "explain", "--ip", "192.0.2.7", "--helo", "h", "--mail-from", "a@b.example",
                "--rcpt", "c@d.example", "--dnsbl", "bl.lists.test")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("need --zone");
    }

    @Test
    void lookalikeAndDisplayNameSpoof() throws Exception {
        Path zone = dir.resolve("zone.txt");
        Files.writeString(zone, "$TTL 300\nsender.example. IN A 192.0.2.7\n");
        String msg = "From: \"CEO Kartapuce\" <ceo@kartapuse.fr>\r\nTo: boss@kartapuce.fr\r\nSubject: wire\r\n\r\nPay today.\r\n";
        List<String> lines = explain(msg, "--zone", zone.toString(), "--vip", "Jean Kartapuce <jean@kartapuce.fr>");
        assertThat(lines.get(0)).isEqualTo("junk 11.0");
        assertThat(lines.get(1)).startsWith("lookalike_domain 6.0 kartapuse.fr: edit distance 1 from kartapuce.fr");
        assertThat(lines.get(2)).startsWith("display_name_spoof 5.0 \"CEO Kartapuce\" names Jean Kartapuce <jean@kartapuce.fr>");
        // a known correspondent is not first contact; a protected domain given with --protect
        List<String> known = explain("From: \"Jean Kartapuce\" <jk@gmail.com>\r\n\r\nhi\r\n",
                "--vip", "Jean Kartapuce <jean@kartapuce.fr>", "--known", "jk@gmail.com");
        assertThat(known).containsExactly("inbox 0.0");
        assertThat(explain("From: x@paypa1.com\r\n\r\nhi\r\n", "--protect", "paypal.com").get(1))
                .startsWith("lookalike_domain 6.0 paypa1.com: confusable with paypal.com");
    }

    @Test
    void mistakesAreReported() {
        assertThat(run("From: a@b.example\r\n\r\nx\r\n", "filter", "explain", "--ip", "not-an-ip", "--helo", "h",
                "--mail-from", "a@b.example", "--rcpt", "c@d.example")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ip");
        assertThat(run("From: a@b.example\r\n\r\nx\r\n", "filter", "explain", "--ip", "192.0.2.1", "--helo", "h",
                "--mail-from", "a@b.example", "--rcpt", "c@d.example", "--vip", "nobody")).isEqualTo(2);
        assertThat(run("", "filter", "explain", "--ip", "192.0.2.1", "--helo", "h", "--mail-from", "a@b.example",
                "--rcpt", "c@d.example")).isEqualTo(2);
    }
}
