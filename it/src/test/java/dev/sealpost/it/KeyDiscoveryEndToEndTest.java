package dev.sealpost.it;

import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;
import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.testkit.Peers;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 key discovery through two whole servers. Server B hosts example.test and publishes
 * alice's OpenPGP key by WKD on its HTTPS listener (a test certificate for
 * {@code openpgpkey.example.test}). Server A (sender.test) knows no key of alice; its DNS maps
 * {@code openpgpkey.example.test} to 127.0.0.1, it trusts B's certificate ({@code queue.tls_ca})
 * and asks WKD hosts on B's port ({@code secure.wkd_port}). carol submits a {@code [secure]}
 * message to alice and dave (a local account of A with a key): A discovers alice's key over WKD
 * (the advanced method, HttpsGet through A's resolver), stores it with origin wkd, encrypts to
 * both, and real gpg with alice's secret key decrypts dave's copy. {@code sealpost keys discover}
 * prints the same finding.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class KeyDiscoveryEndToEndTest {
    static final String ALICE = TestServer.USER;
    static final String CAROL = "carol@sender.test";
    static final String DAVE = "dave@sender.test";
    static final String PW = "a long enough password 1";

    @TempDir
    static Path dir;
    static TestServer host;
    static SealpostServer sender;
    static OpenPGPKey alicePgp;

    @BeforeAll
    static void start() throws Exception {
        Path b = dir.resolve("b");
        Files.createDirectories(b.resolve("tls"));
        TlsFiles.writeSelfSigned(b.resolve("tls/cert.pem"), b.resolve("tls/key.pem"), "localhost",
                List.of("localhost", "example.test", "openpgpkey.example.test"), List.of("127.0.0.1"));
        host = new TestServer(b);
        alicePgp = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of(OpenPgpKeys.userIdFor(ALICE)), Clock.systemUTC());
        host.store().keys().addOwn(ALICE, Keys.Type.OPENPGP, OpenPgpKeys.fingerprint(alicePgp), OpenPgpKeys.extractCertificate(alicePgp, false),
                OpenPgpKeys.encode(alicePgp, false));

        Path a = dir.resolve("a");
        Files.createDirectories(a.resolve("tls"));
        TlsFiles.writeSelfSigned(a.resolve("tls/cert.pem"), a.resolve("tls/key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        Files.writeString(a.resolve("zone.txt"), "$TTL 300\nopenpgpkey.example.test. IN A 127.0.0.1\nexample.test. IN A 127.0.0.1\n");
        String toml = """
                [server]
                hostname = "mx.sender.test"
                data_dir = "data"
                postmaster = "carol@sender.test"
                [tls]
                certificate = "tls/cert.pem"
                private_key = "tls/key.pem"
                [dns]
                zone_file = "zone.txt"
                [listeners]
                smtp = "127.0.0.1:0"
                submission = "127.0.0.1:0"
                [auth]
                enabled = false
                [queue]
                tls_ca = "%s"
                [secure]
                wkd_port = %d
                """.formatted(b.resolve("tls/cert.pem"), host.server.httpPort(true));
        Files.writeString(a.resolve("sealpost.toml"), toml);
        sender = new SealpostServer(SealpostConfig.parse(toml, a), Clock.systemUTC());
        sender.start();
        var d = sender.store().directory();
        d.addDomain("sender.test");
        d.addAccount(CAROL, PW.toCharArray());
        d.addAccount(DAVE, PW.toCharArray());
        OpenPGPKey dave = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of(OpenPgpKeys.userIdFor(DAVE)), Clock.systemUTC());
        sender.store().keys().addOwn(DAVE, Keys.Type.OPENPGP, OpenPgpKeys.fingerprint(dave), OpenPgpKeys.extractCertificate(dave, false),
                OpenPgpKeys.encode(dave, false));
    }

    @AfterAll
    static void stop() throws Exception {
        if (Files.isDirectory(dir.resolve("gpg-alice"))) {
            try {
                Peers.run(List.of("gpgconf", "--homedir", dir.resolve("gpg-alice").toString(), "--kill", "all"), dir, 30);
            } catch (java.io.IOException e) {
                // no gpgconf: nothing was started
            }
        }
        if (sender != null) sender.close();
        if (host != null) host.close();
    }

    static String awaitContent(String address, String marker) throws Exception {
        long id = sender.store().directory().account(address).orElseThrow().id();
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(end)) {
            for (Mailboxes.MessageInfo m : sender.store().mailboxes().messages(id, "INBOX")) {
                try (InputStream in = sender.store().blobs().open(m.blobId())) {
                    String c = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (c.contains(marker)) return c;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no message with '" + marker + "' reached " + address);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void aKeyFoundByWkdEncryptsTaggedMailThatGpgDecrypts() throws Exception {
        Peers.require("swaks");
        Peers.require("gpg");
        assertThat(sender.store().keys().peers(ALICE)).isEmpty();
        Peers.Result r = Peers.run(List.of("swaks", "--server", "127.0.0.1", "--timeout", "30", "--port", "" + sender.port(ListenerKind.SUBMISSION),
                "--tls", "--auth", "PLAIN", "--auth-user", CAROL, "--auth-password", PW, "--from", CAROL, "--to", ALICE + "," + DAVE,
                "--header", "Subject: [secure] wkd e2e", "--body", "Hello Alice, found by WKD."), dir, 90);
        assertThat(r.exit()).as(r.output()).isZero();
        // the key was discovered and stored with its origin
        assertThat(sender.store().keys().peers(ALICE)).singleElement().satisfies(p -> {
            assertThat(p.origin()).isEqualTo(Keys.Origin.WKD);
            assertThat(p.fingerprint()).isEqualTo(OpenPgpKeys.fingerprint(alicePgp));
        });
        String text = awaitContent(DAVE, "wkd e2e");
        assertThat(text).doesNotContain("found by WKD").doesNotContain("[secure]");
        byte[] stored = text.getBytes(StandardCharsets.ISO_8859_1);
        Part root = MessageStructure.parse(stored).root();
        assertThat(root.mediaType()).isEqualTo("multipart/encrypted");
        Part enc = root.children().get(1);
        String body = new String(Arrays.copyOfRange(stored, (int) enc.bodyStart(), (int) enc.end()), StandardCharsets.ISO_8859_1);
        int begin = body.indexOf("-----BEGIN PGP MESSAGE-----"), endAt = body.indexOf("-----END PGP MESSAGE-----");
        assertThat(begin).as(body).isGreaterThanOrEqualTo(0);
        assertThat(endAt).as(body).isGreaterThan(begin);
        Files.writeString(dir.resolve("wkd.asc"), body.substring(begin, endAt + "-----END PGP MESSAGE-----".length()) + "\r\n",
                StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("alice.key"), OpenPgpKeys.encode(alicePgp, true));
        Path home = dir.resolve("gpg-alice");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        String gpg = "gpg --homedir " + home + " --batch --trust-model always ";
        Peers.Result imp = Peers.run(List.of("/bin/sh", "-c", gpg + "--import alice.key"), dir, 120);
        assertThat(imp.exit()).as(imp.output()).isZero();
        Peers.Result dec = Peers.run(List.of("/bin/sh", "-c", gpg + "--status-fd 1 --decrypt wkd.asc"), dir, 120);
        assertThat(dec.exit()).as(dec.output()).isZero();
        assertThat(dec.output()).contains("Hello Alice, found by WKD.", "[GNUPG:] DECRYPTION_OKAY");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void keysDiscoverPrintsWhatEachMethodFound() throws Exception {
        Path a = dir.resolve("a");
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            code = dev.sealpost.app.Main.run(new String[] {"keys", "discover", ALICE, "--config", a.resolve("sealpost.toml").toString(), "--timeout", "20"});
        } finally {
            System.setOut(old);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(s).isZero();
        assertThat(s).contains("wkd (advanced): found " + OpenPgpKeys.fingerprint(alicePgp))
                // the zone file's answers are not DNSSEC-validated: OPENPGPKEY/SMIMEA say none (nothing published)
                .contains("openpgpkey: none", "smimea: none", "found: stored for " + ALICE);
        // unknown address: 404 from WKD, nothing stored, exit 1
        out.reset();
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            code = dev.sealpost.app.Main.run(new String[] {"keys", "discover", "nobody@example.test", "--config", a.resolve("sealpost.toml").toString()});
        } finally {
            System.setOut(old);
        }
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wkd (advanced): none (404)", "none: no key found for nobody@example.test");
    }
}
