package dev.sealpost.it;

import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;
import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.smime.SmimeCa;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Keys;
import dev.sealpost.testkit.Peers;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's gateway through the whole server, checked by real peers: what submission signs
 * (S/MIME) is verified by gpgsm and openssl; what it signs and encrypts (PGP/MIME) is decrypted and
 * verified by gpg and sqop; required encryption without a key is refused with 550 5.7.5; and what
 * gpg, gpgsm and openssl make arrives at the MX and is decrypted (gateway mode) and verified into
 * Authentication-Results, with the sender's certificate collected.
 */
class SecureGatewayEndToEndTest {
    static final String CAROL = "carol@example.test";
    static final String DAVE = "dave@example.test";
    static final String BOB = "bob@example.test";
    static final String PW = "a long enough password 1";
    static final String SENDER = "sender@elsewhere.test";

    @TempDir
    static Path dir;
    static TestServer server;
    static SmimeCa ca;
    static SmimeCa.Issued aliceSmime;
    static SmimeCa.Issued bobSmime;
    static OpenPGPKey bobPgp;
    static OpenPGPKey carolPgp;

    @BeforeAll
    static void start() throws Exception {
        // [auth] off: the test's senders have no DNS; key collection then needs no DMARC pass
        server = new TestServer(dir, "", "$TTL 300\n", "[auth]\nenabled = false\n");
        var d = server.store().directory();
        d.addAccount(CAROL, PW.toCharArray());
        d.addAccount(DAVE, PW.toCharArray());
        Keys k = server.store().keys();
        Instant now = Instant.now();
        ca = SmimeCa.create(TestServer.DOMAIN, now);
        k.putCa(TestServer.DOMAIN, ca.certificate().getEncoded(), ca.privateKey().getEncoded());
        aliceSmime = ca.issue(TestServer.USER, now);
        k.addOwn(TestServer.USER, Keys.Type.SMIME, fpr(aliceSmime.certificate()), aliceSmime.certificate().getEncoded(), aliceSmime.privateKey().getEncoded());
        bobSmime = ca.issue(BOB, now);
        k.addOwn(BOB, Keys.Type.SMIME, fpr(bobSmime.certificate()), bobSmime.certificate().getEncoded(), bobSmime.privateKey().getEncoded());
        bobPgp = pgp(BOB);
        carolPgp = pgp(CAROL);
        // a DKIM key: DKIM must sign the finished (signed or encrypted) message
        check(new byte[0], "dkim", "keygen", "--domain", TestServer.DOMAIN, "--selector", "rsa1", "--algorithm", "rsa",
                "--data", dir.resolve("data").toString());
    }

    /** dkimpy's verdict on the message, our DKIM keys' records as its only DNS. */
    private static String dkimpy(byte[] message) throws Exception {
        Peers.require("python3");
        Peers.Result probe = Peers.run(List.of("/usr/bin/python3", "-c", "import dkim"), dir, 30);
        Peers.require(probe.exit() == 0, "python3-dkim (dkimpy)");
        StringBuilder sb = new StringBuilder();
        for (var k : server.store().directory().signingKeys(TestServer.DOMAIN)) sb.append(k.recordName()).append(' ').append(k.publicRecord()).append('\n');
        Files.writeString(dir.resolve("dkim-records.txt"), sb.toString(), StandardCharsets.US_ASCII);
        Files.write(dir.resolve("dkim-msg.eml"), message);
        Path script = Path.of(SecureGatewayEndToEndTest.class.getResource("dkimpy_verify.py").toURI());
        Peers.Result r = Peers.run(List.of("/usr/bin/python3", script.toString(), dir.resolve("dkim-records.txt").toString(),
                dir.resolve("dkim-msg.eml").toString()), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().strip().lines().toList().getLast();
    }

    static OpenPGPKey pgp(String address) throws Exception {
        OpenPGPKey key = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of(OpenPgpKeys.userIdFor(address)), Clock.systemUTC());
        server.store().keys().addOwn(address, Keys.Type.OPENPGP, OpenPgpKeys.fingerprint(key), OpenPgpKeys.extractCertificate(key, false),
                OpenPgpKeys.encode(key, false));
        return key;
    }

    static String fpr(X509Certificate c) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (String h : List.of("gpgsm-home", "gpg-home", "gpg-sender")) {
            if (Files.isDirectory(dir.resolve(h))) {
                try {
                    Peers.run(List.of("gpgconf", "--homedir", dir.resolve(h).toString(), "--kill", "all"), dir, 30);
                } catch (java.io.IOException e) {
                    // no gpgconf: nothing was started
                }
            }
        }
        if (server != null) server.close();
    }

    private static Peers.Result swaks(String user, String to, String subject, String body) throws Exception {
        Peers.require("swaks");
        return Peers.run(List.of("swaks", "--server", "127.0.0.1", "--timeout", "20", "--port", "" + server.port(ListenerKind.SUBMISSION),
                "--tls", "--auth", "PLAIN", "--auth-user", user, "--auth-password", user.equals(TestServer.USER) ? TestServer.PASSWORD : PW,
                "--from", user, "--to", to, "--header", "Subject: " + subject, "--body", body), dir, 60);
    }

    private static Peers.Result sh(String script) throws Exception {
        return Peers.run(List.of("/bin/sh", "-c", script), dir, 120);
    }

    private static byte[] partBytes(byte[] message, Part p) {
        return Arrays.copyOfRange(message, (int) p.headerStart(), (int) p.end());
    }

    private static byte[] partBody(byte[] message, Part p) {
        return Arrays.copyOfRange(message, (int) p.bodyStart(), (int) p.end());
    }

    /** {@code sealpost check ...} in process, the message on standard input; its standard output. */
    private static String check(byte[] message, String... args) {
        java.io.PrintStream oldOut = System.out;
        java.io.InputStream oldIn = System.in;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            System.setIn(new java.io.ByteArrayInputStream(message));
            int code = dev.sealpost.app.Main.run(args);
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setOut(oldOut);
            System.setIn(oldIn);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Path gpgsmHome() throws Exception {
        Path home = dir.resolve("gpgsm-home");
        if (Files.isDirectory(home)) return home;
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(home.resolve("gpgsm.conf"), "disable-crl-checks\ndisable-trusted-cert-crl-check\n");
        Files.writeString(home.resolve("ca.pem"), pem(ca.certificate()));
        Files.writeString(home.resolve("bob.pem"), pem(bobSmime.certificate()));
        byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(ca.certificate().getEncoded());
        Files.writeString(home.resolve("trustlist.txt"), HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha1) + " S relax\n");
        Peers.Result imp = gpgsm(home, "--import", home.resolve("ca.pem").toString(), home.resolve("bob.pem").toString());
        assertThat(imp.exit()).as(imp.output()).isZero();
        return home;
    }

    private static Peers.Result gpgsm(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gpgsm", "--homedir", home.toString(), "--batch"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, dir, 60);
    }

    static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    static String pemKey(java.security.PrivateKey k) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void smimeSignedAtSubmissionIsVerifiedByGpgsmAndOpenssl() throws Exception {
        Peers.require("gpgsm");
        server.store().keys().putPolicy(TestServer.USER, "always", null, null);
        Peers.Result r = swaks(TestServer.USER, BOB, "smime e2e signed", "Signed by the gateway.\nSecond line.");
        assertThat(r.exit()).as(r.output()).isZero();
        byte[] stored = server.awaitContent(BOB, "smime e2e signed").getBytes(StandardCharsets.ISO_8859_1);
        Part root = MessageStructure.parse(stored).root();
        assertThat(root.mediaType()).isEqualTo("multipart/signed");
        assertThat(root.param("protocol")).isEqualTo("application/pkcs7-signature");
        Path home = gpgsmHome();
        Files.write(home.resolve("content"), partBytes(stored, root.children().get(0)));
        Files.write(home.resolve("smime.p7s"), Base64.getMimeDecoder().decode(partBody(stored, root.children().get(1))));
        Peers.Result good = gpgsm(home, "--status-fd", "1", "--verify", home.resolve("smime.p7s").toString(), home.resolve("content").toString());
        assertThat(good.exit()).as(good.output()).isZero();
        assertThat(good.output()).contains("[GNUPG:] GOODSIG", "[GNUPG:] VALIDSIG");
        // openssl as a second oracle, on the message as stored (our trace fields above it)
        Peers.require("openssl");
        Files.write(dir.resolve("stored-signed.eml"), stored);
        Peers.Result ossl = Peers.run(List.of("openssl", "cms", "-verify", "-in", dir.resolve("stored-signed.eml").toString(),
                "-CAfile", home.resolve("ca.pem").toString(), "-out", dir.resolve("verified.txt").toString()), dir, 60);
        assertThat(ossl.exit()).as(ossl.output()).isZero();
        assertThat(Files.readString(dir.resolve("verified.txt"))).contains("Signed by the gateway.");
        // our offline check agrees: pass with the CA as trust anchor, policy without
        assertThat(check(stored, "check", "smime", "--trust-anchor", home.resolve("ca.pem").toString())).startsWith("pass");
        assertThat(check(stored, "check", "smime")).startsWith("policy");
        // a tampered copy fails
        byte[] bad = Files.readAllBytes(home.resolve("content"));
        bad[bad.length - 5] ^= 0x01;
        Files.write(home.resolve("content"), bad);
        assertThat(gpgsm(home, "--status-fd", "1", "--verify", home.resolve("smime.p7s").toString(), home.resolve("content").toString()).output())
                .contains("[GNUPG:] BADSIG");
    }

    @Test
    void taggedMailIsPgpMimeEncryptedAndSignedAndGpgAndSqopOpenIt() throws Exception {
        Peers.require("gpg");
        server.store().keys().putPolicy(CAROL, "always", null, null);
        Peers.Result r = swaks(CAROL, BOB, "[secure] pgp e2e", "Hello Bob, only you can read this.");
        assertThat(r.exit()).as(r.output()).isZero();
        String text = server.awaitContent(BOB, "pgp e2e");
        byte[] stored = text.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(text).contains("Subject: pgp e2e\r\n").doesNotContain("[secure]").doesNotContain("only you can read")
                .contains("Autocrypt: addr=carol@example.test;");
        Part root = MessageStructure.parse(stored).root();
        assertThat(root.mediaType()).isEqualTo("multipart/encrypted");
        // DKIM signed the encrypted message: dkimpy verifies it, and not a changed copy
        assertThat(dkimpy(stored)).isEqualTo("pass");
        assertThat(dkimpy(text.replace("Version: 1", "Version: 2").getBytes(StandardCharsets.ISO_8859_1))).isEqualTo("fail");
        Files.write(dir.resolve("pgp.asc"), partBody(stored, root.children().get(1)));
        Files.write(dir.resolve("bob.key"), OpenPgpKeys.encode(bobPgp, true));
        Files.write(dir.resolve("carol.cert"), OpenPgpKeys.extractCertificate(carolPgp, true));

        Path home = dir.resolve("gpg-home");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        String gpg = "gpg --homedir " + home + " --batch --trust-model always ";
        Peers.Result imp = sh(gpg + "--import bob.key carol.cert");
        assertThat(imp.exit()).as(imp.output()).isZero();
        Peers.Result dec = sh(gpg + "--status-fd 1 --decrypt pgp.asc");
        assertThat(dec.exit()).as(dec.output()).isZero();
        assertThat(dec.output()).contains("Hello Bob, only you can read this.", "[GNUPG:] GOODSIG", "[GNUPG:] DECRYPTION_OKAY");

        Peers.require("sqop");
        Peers.Result sq = sh("sqop decrypt --verifications-out sqop-ver.txt --verify-with carol.cert bob.key < pgp.asc");
        assertThat(sq.exit()).as(sq.output()).isZero();
        assertThat(sq.output()).contains("Hello Bob, only you can read this.");
        assertThat(Files.readString(dir.resolve("sqop-ver.txt"))).contains(OpenPgpKeys.fingerprint(carolPgp));
        // and our offline check: decrypts with bob's key, carol's signature inside
        String c = check(stored, "check", "openpgp", "--key", dir.resolve("bob.key").toString(), "--cert", dir.resolve("carol.cert").toString(),
                "--out", dir.resolve("pgp-plain.eml").toString());
        assertThat(c).startsWith("pass").contains("good signature by " + OpenPgpKeys.fingerprint(carolPgp), "decrypted: SEIPDv1");
        assertThat(Files.readString(dir.resolve("pgp-plain.eml"))).contains("Hello Bob, only you can read this.", "Subject: pgp e2e");
    }

    @Test
    void requiredEncryptionWithoutAKeyIsRefusedWith550() throws Exception {
        server.store().keys().putPolicy(DAVE, null, "required", null);
        Peers.Result r = swaks(DAVE, "nokey@elsewhere.test", "must be encrypted", "Secret.");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("550 5.7.5").contains("<nokey@elsewhere.test>");
        assertThat(server.store().outbound().depth().pendingDeliveries()).isZero();
    }

    @Test
    void gpgMailToAGatewayRecipientIsDecryptedAndVerified() throws Exception {
        Peers.require("gpg");
        Path home = dir.resolve("gpg-sender");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        String gpg = "gpg --homedir " + home + " --batch --trust-model always --pinentry-mode loopback --passphrase '' ";
        Files.write(dir.resolve("bob.cert"), OpenPgpKeys.extractCertificate(bobPgp, true));
        assertThat(sh(gpg + "--quick-gen-key 'Sender <" + SENDER + ">' ed25519 sign never").exit()).isZero();
        assertThat(sh(gpg + "--import bob.cert").exit()).isZero();
        Peers.Result exp = sh(gpg + "--export " + SENDER + " > sender.pub");
        assertThat(exp.exit()).as(exp.output()).isZero();
        var cert = OpenPgpKeys.readCertificate(Files.readAllBytes(dir.resolve("sender.pub")));
        server.store().keys().putPeer(SENDER, Keys.Type.OPENPGP, OpenPgpKeys.fingerprint(cert), cert.getEncoded(), Keys.Origin.IMPORT, null, null);
        server.store().keys().putPolicy(BOB, null, null, "decrypt");

        Files.writeString(dir.resolve("entity.txt"), "Content-Type: text/plain; charset=us-ascii\r\n\r\nSecret hello from gpg.\r\n");
        Peers.Result enc = sh(gpg + "--armor --sign --encrypt -u " + SENDER + " -r " + BOB + " -o gpg-enc.asc entity.txt");
        assertThat(enc.exit()).as(enc.output()).isZero();
        String msg = "From: Sender <" + SENDER + ">\r\nTo: " + BOB + "\r\nSubject: gpg inbound\r\nMessage-ID: <gpg1@elsewhere.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--b1\r\nContent-Type: application/octet-stream\r\n\r\n"
                + Files.readString(dir.resolve("gpg-enc.asc")).replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n--b1--\r\n";
        server.deliverLocal(BOB, msg);
        String stored = server.awaitContent(BOB, "Subject: gpg inbound");
        assertThat(stored).contains("Secret hello from gpg.").contains("X-Sealpost-Decrypted: openpgp")
                .contains("x-openpgp=pass body.x-openpgp-key=" + OpenPgpKeys.fingerprint(cert)).doesNotContain("BEGIN PGP MESSAGE");
        server.store().keys().putPolicy(BOB, null, null, "keep");
    }

    @Test
    void opensslSignedAndGpgsmEncryptedSmimeArriveVerifiedAndDecrypted() throws Exception {
        Peers.require("openssl");
        Peers.require("gpgsm");
        // a sender with its own CA elsewhere: not trusted until an administrator imports the CA
        SmimeCa other = SmimeCa.create("elsewhere.test", Instant.now());
        SmimeCa.Issued sender = other.issue(SENDER, Instant.now());
        Files.writeString(dir.resolve("sender.pem"), pem(sender.certificate()));
        Files.writeString(dir.resolve("sender.key"), pemKey(sender.privateKey()));
        Files.writeString(dir.resolve("body.txt"), "Content-Type: text/plain\r\n\r\nSigned by openssl.\r\n");
        Peers.Result s = sh("openssl cms -sign -signer sender.pem -inkey sender.key -in body.txt -out signed.eml -binary");
        assertThat(s.exit()).as(s.output()).isZero();
        String signed = "From: " + SENDER + "\r\nTo: " + BOB + "\r\nSubject: openssl signed 1\r\n"
                + Files.readString(dir.resolve("signed.eml")).replace("\r\n", "\n").replace("\n", "\r\n");
        server.deliverLocal(BOB, signed);
        assertThat(server.awaitContent(BOB, "Subject: openssl signed 1")).contains("smime=policy body.smime-identifier=" + SENDER);
        assertThat(server.store().keys().peers(SENDER)).anyMatch(p -> p.type() == Keys.Type.SMIME && p.origin() == Keys.Origin.SIGNATURE);

        server.store().keys().putPeer(SENDER, Keys.Type.SMIME, fpr(other.certificate()), other.certificate().getEncoded(), Keys.Origin.IMPORT, null, null);
        server.deliverLocal(BOB, signed.replace("openssl signed 1", "openssl signed 2"));
        assertThat(server.awaitContent(BOB, "Subject: openssl signed 2")).contains("smime=pass body.smime-identifier=" + SENDER);

        // gpgsm encrypts to bob's certificate; bob's policy decrypts at the MX
        Path home = gpgsmHome();
        Files.writeString(dir.resolve("entity2.txt"), "Content-Type: text/plain; charset=us-ascii\r\n\r\nSecret hello from gpgsm.\r\n");
        Peers.Result enc = gpgsm(home, "--encrypt", "--base64", "-r", BOB, "-o", dir.resolve("gpgsm.p7m").toString(), dir.resolve("entity2.txt").toString());
        assertThat(enc.exit()).as(enc.output()).isZero();
        String b64 = Files.readString(dir.resolve("gpgsm.p7m")).replaceAll("-----[A-Z0-9 ]+-----", "").strip().replace("\r\n", "\n").replace("\n", "\r\n");
        String msg = "From: " + SENDER + "\r\nTo: " + BOB + "\r\nSubject: gpgsm inbound\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + b64 + "\r\n";
        // offline first: check smime --key decrypts what gpgsm made
        Files.writeString(dir.resolve("bob-smime.key"), pemKey(bobSmime.privateKey()));
        Files.writeString(dir.resolve("bob-smime.pem"), pem(bobSmime.certificate()));
        String c = check(msg.getBytes(StandardCharsets.US_ASCII), "check", "smime", "--key", dir.resolve("bob-smime.key").toString(),
                "--cert", dir.resolve("bob-smime.pem").toString(), "--out", dir.resolve("gpgsm-plain.eml").toString());
        assertThat(c).startsWith("none").contains("decrypted: ");
        assertThat(Files.readString(dir.resolve("gpgsm-plain.eml"))).contains("Secret hello from gpgsm.");
        server.store().keys().putPolicy(BOB, null, null, "decrypt");
        server.deliverLocal(BOB, msg);
        String stored = server.awaitContent(BOB, "Subject: gpgsm inbound");
        server.store().keys().putPolicy(BOB, null, null, "keep");
        assertThat(stored).contains("Secret hello from gpgsm.").contains("X-Sealpost-Decrypted: smime");
    }
}
