package dev.sealpost.smtp.client;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interop with Postfix's {@code smtp-sink} (Debian package postfix): a real, independent SMTP
 * server. Skipped when smtp-sink is missing, unless SEALPOST_REQUIRE_INTEROP=1.
 */
class PostfixSinkInteropTest {
    static final ClientSettings SETTINGS = ClientSettings.defaults().withTimeouts(ClientSettings.Timeouts.uniform(Duration.ofSeconds(10)));

    @TempDir
    Path dir;

    static Path sinkBinary() {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin")) {
            Path p = Path.of(d, "smtp-sink");
            if (Files.isExecutable(p)) return p;
        }
        return Peers.missing("interop peer smtp-sink (Debian package postfix) is not installed");
    }

    /** A running smtp-sink that dumps each transaction to a file in {@code dir}. */
    private final class Sink implements AutoCloseable {
        final Process process;
        final int port;
        final Path dumps;

        Sink(String... options) throws Exception {
            Path bin = sinkBinary();
            dumps = Files.createDirectories(dir.resolve("dumps"));
            // the sink drops privileges to "nobody" when run as root: let it write here
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of(bin.toString()));
            if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("-u", "nobody"));
            cmd.addAll(List.of(options));
            cmd.addAll(List.of("-h", "sink.test", "-d", dumps + "/%M.", "127.0.0.1:" + port, "10"));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("sink.log").toFile()).start();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) throw new AssertionError("smtp-sink exited: " + Files.readString(dir.resolve("sink.log")));
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", port);
        }

        List<String> dumps(int expected) throws IOException {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Stream<Path> s = Files.list(dumps)) {
                    return s.count() >= expected;
                }
            });
            List<String> out = new ArrayList<>();
            try (Stream<Path> s = Files.list(dumps)) {
                for (Path p : s.sorted().toList()) out.add(Files.readString(p, StandardCharsets.ISO_8859_1));
            }
            return out;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    static EmailAddress addr(String s) {
        return EmailAddress.parse(s).orElseThrow();
    }

    @Test
    void severalMessagesOnOneConnectionWithDsnAndDots() throws Exception {
        try (Sink sink = new Sink(); SmtpConnection c = SmtpClient.connect(sink.address(), SETTINGS)) {
            assertThat(c.greeting().code()).isEqualTo(220);
            Capabilities caps = c.ehlo("client.test");
            assertThat(caps.pipelining()).isTrue();
            assertThat(caps.eightBitMime()).isTrue();
            assertThat(caps.dsn()).isTrue();
            Envelope dsn = new Envelope(addr("a@example.org"),
                    List.of(new Envelope.Recipient(addr("b@example.net"), List.of("SUCCESS", "FAILURE"), "rfc822;b+x@example.net")),
                    BodyType.SEVEN_BIT, false, false, "HDRS", "id=42");
            DeliveryResult r1 = c.send(dsn, MessageSource.of("Subject: one\r\n\r\n.leading dot\r\n..two\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(r1.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(r1.reply().enhanced()).isEqualTo("2.0.0");
            DeliveryResult r2 = c.send(Envelope.of(addr("a@example.org"), List.of(addr("c@example.net"), addr("d@example.net")))
                            .withBody(BodyType.EIGHT_BIT_MIME),
                    MessageSource.of("Subject: two\r\nMIME-Version: 1.0\r\n\r\nK\u00f6ln\r\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(r2.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(r2.recipients()).extracting(RecipientResult::outcome).containsOnly(Outcome.ACCEPTED);
            DeliveryResult r3 = c.send(Envelope.of(null, List.of(addr("e@example.net"))),
                    MessageSource.of("Subject: three\r\n\r\nbounce\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(r3.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(c.quit().code()).isEqualTo(221);

            List<String> dumps = sink.dumps(3);
            String all = String.join("\n=====\n", dumps).replace("\r\n", "\n"); // the sink writes LF line ends
            assertThat(all).contains("X-Mail-Args: <a@example.org> RET=HDRS ENVID=id+3D42")
                    .contains("X-Rcpt-Args: <b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bx@example.net")
                    .contains("X-Mail-Args: <a@example.org> BODY=8BITMIME")
                    .contains("X-Mail-Args: <>")
                    .contains("K\u00c3\u00b6ln") // the UTF-8 octets, as is
                    .contains("\n.leading dot\n..two\n").doesNotContain("...two");
        }
    }

    @Test
    void downgradeFor8BitToASinkWithout8BitMime() throws Exception {
        try (Sink sink = new Sink("-8"); SmtpConnection c = SmtpClient.connect(sink.address(), SETTINGS)) {
            assertThat(c.ehlo("client.test").eightBitMime()).isFalse();
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"))).withBody(BodyType.EIGHT_BIT_MIME),
                    MessageSource.of(("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                            + "Subject: x\r\n\r\nK\u00f6ln\r\n").getBytes(StandardCharsets.UTF_8)));
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
            c.quit();
            String dump = sink.dumps(1).getFirst();
            assertThat(dump).contains("Content-Transfer-Encoding: quoted-printable").contains("K=C3=B6ln").doesNotContain("BODY=");
            for (char ch : dump.toCharArray()) assertThat((int) ch).isLessThan(0x80);
        }
    }

    @Test
    void softRejectedRecipientsWithoutPipelining() throws Exception {
        // -r RCPT: every RCPT gets 450 (and implies no PIPELINING)
        try (Sink sink = new Sink("-r", "RCPT"); SmtpConnection c = SmtpClient.connect(sink.address(), SETTINGS)) {
            assertThat(c.ehlo("client.test").pipelining()).isFalse();
            DeliveryResult r = c.send(Envelope.of(addr("a@example.org"), List.of(addr("b@example.net"), addr("c@example.net"))),
                    MessageSource.of("Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(r.outcome()).isEqualTo(Outcome.TEMPFAIL);
            assertThat(r.fromPeer()).isTrue();
            assertThat(r.recipients()).extracting(x -> x.reply().code()).containsExactly(450, 450);
            // the connection stays usable (RSET before the next transaction)
            assertThat(c.noop().code()).isEqualTo(250);
            assertThat(c.quit().code()).isEqualTo(221);
        }
    }
}
