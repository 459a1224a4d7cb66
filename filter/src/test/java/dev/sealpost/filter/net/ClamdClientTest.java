package dev.sealpost.filter.net;

import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.FilterSettings;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.Pipeline;
import dev.sealpost.filter.Verdict;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clamd client against a real clamd (Debian {@code clamav-daemon}) started by the test, in a
 * temp directory, with only a signature database the test writes: MD5 hashes ({@code .hdb}) of
 * EICAR's 68-octet test string and of a random test file. Listens on a unix socket and on TCP
 * (an ephemeral port chosen by the test). The last test stops clamd and expects "unavailable".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClamdClientTest {
    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TEST_FILE = new byte[3000];

    static Path dir;
    static Process clamd;
    static ClamdClient unix;
    static ClamdClient tcp;

    @BeforeAll
    static void startClamd() throws Exception {
        Peers.require("clamd");
        new Random(14).nextBytes(TEST_FILE);
        assertThat(EICAR).hasSize(68);
        dir = Files.createTempDirectory("sp-clamd");
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.writeString(db.resolve("sealpost-test.hdb"),
                md5(EICAR) + ":68:Sealpost.Test.EICAR\n" + md5(TEST_FILE) + ":" + TEST_FILE.length + ":Sealpost.Test.File\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path sock = dir.resolve("clamd.sock");
        Files.writeString(dir.resolve("clamd.conf"), String.join("\n",
                "LocalSocket " + sock,
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "DatabaseDirectory " + db,
                "TemporaryDirectory " + dir,
                "Foreground yes",
                "StreamMaxLength 1M",
                "LogFile " + dir.resolve("clamd.log"),
                "PidFile " + dir.resolve("clamd.pid"), ""));
        clamd = new ProcessBuilder("clamd", "-c", dir.resolve("clamd.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
        unix = new ClamdClient(new ClamdAddress.Unix(sock), Duration.ofSeconds(20), ClamdClient.DEFAULT_MAX_BYTES);
        tcp = ClamdClient.of("127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(unix.ping() && tcp.ping())) {
            if (!clamd.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("clamd did not answer PING: " + Files.readString(dir.resolve("clamd.out")));
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopClamd() throws Exception {
        if (clamd != null) {
            clamd.destroy();
            if (!clamd.waitFor(20, TimeUnit.SECONDS)) clamd.destroyForcibly();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static byte[] messageWith(String fileName, byte[] attachment) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment);
        return ("From: a@example.com\r\nTo: b@example.org\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"" + fileName + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--b1--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @Order(1)
    void eicarIsFoundWithItsSignatureNameOverUnixAndTcp() {
        for (ClamdClient c : List.of(unix, tcp)) {
            ScanResult r = c.scan(EICAR);
            assertThat(r).isInstanceOf(ScanResult.Infected.class);
            // clamd appends ".UNOFFICIAL" to names from a database it cannot verify
            assertThat(((ScanResult.Infected) r).signature()).startsWith("Sealpost.Test.EICAR");
            assertThat(c.scan(new ByteArrayInputStream(EICAR))).isEqualTo(r);
        }
    }

    @Test
    @Order(2)
    void cleanDataIsOkAcrossManyChunks() {
        byte[] big = new byte[300_000]; // five INSTREAM chunks
        new Random(1).nextBytes(big);
        assertThat(unix.scan(big)).isEqualTo(ScanResult.CLEAN);
        assertThat(tcp.scan(new ByteArrayInputStream(big))).isEqualTo(ScanResult.CLEAN);
        assertThat(unix.scan(new byte[0])).isEqualTo(ScanResult.CLEAN);
        assertThat(tcp.scan("hello".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ScanResult.CLEAN);
    }

    @Test
    @Order(3)
    void theTestFileMatchesItsHashAcrossChunkBoundaries() {
        assertThat(unix.scan(TEST_FILE)).isEqualTo(new ScanResult.Infected("Sealpost.Test.File.UNOFFICIAL"));
        byte[] almost = TEST_FILE.clone();
        almost[2999] ^= 1;
        assertThat(unix.scan(almost)).isEqualTo(ScanResult.CLEAN);
    }

    @Test
    @Order(4)
    void clampsOwnStreamLimitIsAnErrorReplyAndOursIsNotSent() {
        byte[] big = new byte[2 * 1024 * 1024]; // clamd here: StreamMaxLength 1M
        ScanResult r = tcp.scan(big);
        assertThat(r).isInstanceOf(ScanResult.Unavailable.class);
        assertThat(((ScanResult.Unavailable) r).reason()).contains("size limit exceeded");
        ScanResult ours = new ClamdClient(tcp.address(), Duration.ofSeconds(5), 1000).scan(new byte[1001]);
        assertThat(((ScanResult.Unavailable) ours).reason()).contains("larger than");
        ScanResult stream = new ClamdClient(tcp.address(), Duration.ofSeconds(5), 100_000).scan(new ByteArrayInputStream(new byte[200_000]));
        assertThat(((ScanResult.Unavailable) stream).reason()).contains("larger than");
    }

    @Test
    @Order(5)
    void malwareCheckNamesTheSignatureAndTheAttachmentAndTheVerdictRejects() {
        MalwareCheck check = new MalwareCheck(unix, MalwareCheck.Settings.defaults());
        FilterInput in = FilterInput.offline(messageWith("invoice.pdf", TEST_FILE));
        List<Hit> hits = check.run(in);
        assertThat(hits).hasSize(1);
        assertThat(hits.getFirst().name()).isEqualTo("malware");
        assertThat(hits.getFirst().detail()).contains("Sealpost.Test.File").contains("invoice.pdf");

        Verdict v = new Pipeline(List.of(check), FilterSettings.defaults()).run(FilterInput.offline(messageWith("eicar.com", EICAR)));
        assertThat(v.action()).isEqualTo(Verdict.Action.REJECT);
        assertThat(v.hits().getFirst().detail()).contains("Sealpost.Test.EICAR").contains("eicar.com");
        assertThat(TempFailure.of(v)).isEmpty();

        assertThat(check.run(FilterInput.offline(messageWith("photo.jpg", "just a photo".getBytes(StandardCharsets.US_ASCII))))).isEmpty();
    }

    @Test
    @Order(6)
    void aSilentServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes(); // reads, never answers
                } catch (IOException ignored) {
                    // closed by the test's end
                }
            });
            long t0 = System.nanoTime();
            ScanResult r = new ClamdClient(new ClamdAddress.Tcp("127.0.0.1", silent.getLocalPort()), Duration.ofMillis(500), 1000).scan(EICAR);
            assertThat(((ScanResult.Unavailable) r).reason()).contains("no answer within 500 ms");
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    @Order(7)
    void stoppedClamdIsUnavailableAndTheMessageIsTempfailedOrMarked() throws Exception {
        clamd.destroy();
        assertThat(clamd.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (ClamdClient c : List.of(unix, tcp)) {
            assertThat(c.scan(EICAR)).isInstanceOf(ScanResult.Unavailable.class);
            assertThat(c.ping()).isFalse();
        }
        FilterInput in = FilterInput.offline(messageWith("eicar.com", EICAR));
        Verdict v = new Pipeline(List.of(new MalwareCheck(tcp, MalwareCheck.Settings.defaults())), FilterSettings.defaults()).run(in);
        assertThat(TempFailure.of(v)).contains(new TempFailure(451, "4.3.0", "Message could not be scanned for malware, try again later"));

        MalwareCheck accept = new MalwareCheck(unix, new MalwareCheck.Settings(MalwareCheck.WhenUnavailable.ACCEPT, 20, 0.5, true));
        List<Hit> hits = accept.run(in);
        assertThat(hits).extracting(Hit::name).containsExactly("malware_unscanned");
        assertThat(TempFailure.of(hits)).isEmpty();
    }
}
