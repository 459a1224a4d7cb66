package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.smime.SmimeCa;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.Peers;
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
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost keys ...} and {@code sealpost smime ...} on a data directory, with gpg, sqop and openssl reading what they export. */
class KeysCliTest {
    @TempDir
    Path dir;
    @TempDir
    Path work;
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
        try (Store s = JdbcStore.open(StoreConfig.sqlite(dir), pw -> PasswordHasher.hash(pw, 1000, 4096))) {
            s.directory().addDomain("example.test");
            s.directory().addAccount("alice@example.test", "pw alice 123".toCharArray());
            s.directory().addAccount("bob@example.test", "pw bob 123456".toCharArray());
        }
    }

    @AfterEach
    void restore() throws Exception {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
        Path gnupg = work.resolve("gnupg");
        if (Files.isDirectory(gnupg)) sh(new byte[0], Map.of("GNUPGHOME", gnupg.toString()), "gpgconf", "--kill", "gpg-agent");
    }

    int run(String... args) {
        out.reset();
        err.reset();
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--data", dir.toString()));
        return Main.run(full.toArray(String[]::new));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    record Res(int exit, String out) {}

    Res sh(byte[] stdin, Map<String, String> env, String... cmd) throws Exception {
        Path in = Files.createTempFile(work, "in", ".bin");
        Files.write(in, stdin);
        Path o = Files.createTempFile(work, "out", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectInput(in.toFile()).redirectOutput(o.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out");
        }
        return new Res(p.exitValue(), Files.readString(o, StandardCharsets.ISO_8859_1));
    }

    Store open() {
        return Store.open(StoreConfig.sqlite(dir));
    }

    /** A fresh GnuPG home (0700). */
    Map<String, String> gnupg() throws Exception {
        Path home = Files.createDirectories(work.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return Map.of("GNUPGHOME", home.toString());
    }

    @Test
    void openPgpGenerateExportListLookupRevoke() throws Exception {
        assertThat(run("keys", "generate", "alice@example.test", "--type", "openpgp")).isZero();
        assertThat(out()).startsWith("generated openpgp key ");
        String fpr;
        try (Store s = open()) {
            Keys.OwnKey k = s.keys().currentOwn("alice@example.test", Keys.Type.OPENPGP).orElseThrow();
            fpr = k.fingerprint();
            assertThat(fpr).hasSize(40);
            // the stored private key is the secret key of the published certificate
            var secret = OpenPgpKeys.readKey(s.keys().privateKey(k));
            assertThat(OpenPgpKeys.fingerprint(secret)).isEqualTo(fpr);
            assertThat(OpenPgpKeys.version(secret)).isEqualTo(4);
            Files.write(work.resolve("alice.key"), OpenPgpKeys.encode(secret, true));
        }
        assertThat(run("keys", "export", "alice@example.test", "--type", "openpgp")).isZero();
        String armored = out();
        assertThat(armored).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        assertThat(armored).doesNotContain("PRIVATE");
        Files.writeString(work.resolve("alice.asc"), armored);

        assertThat(run("keys", "list")).isZero();
        assertThat(out()).contains("own  openpgp alice@example.test " + fpr);
        assertThat(run("keys", "show", "alice@example.test")).isZero();
        assertThat(out()).contains("addresses: alice@example.test");
        assertThat(run("keys", "lookup", "alice@example.test")).isZero();
        assertThat(out()).isEqualTo("openpgp " + fpr + " origin own (local account) trusted yes\n");
        assertThat(run("keys", "lookup", "bob@example.test")).isEqualTo(1);

        // gpg and sqop read the exported certificate; sqop encrypts to it and decrypts with the stored key
        Peers.require("gpg");
        Res imp = sh(armored.getBytes(StandardCharsets.US_ASCII), gnupg(), "gpg", "--batch", "--import");
        assertThat(imp.exit()).as(imp.out()).isZero();
        assertThat(imp.out()).contains("<alice@example.test>").contains("imported: 1");
        Res listed = sh(new byte[0], gnupg(), "gpg", "--batch", "--with-colons", "--list-keys", "alice@example.test");
        assertThat(listed.out()).contains("fpr:::::::::" + fpr + ":");
        Peers.require("sqop");
        byte[] plain = "for alice only\n".getBytes(StandardCharsets.US_ASCII);
        Res enc = sh(plain, Map.of(), "sqop", "encrypt", "alice.asc");
        assertThat(enc.exit()).as(enc.out()).isZero();
        Res dec = sh(enc.out().getBytes(StandardCharsets.ISO_8859_1), Map.of(), "sqop", "decrypt", "alice.key");
        assertThat(dec.exit()).as(dec.out()).isZero();
        assertThat(dec.out()).isEqualTo("for alice only\n");

        assertThat(run("keys", "revoke", fpr)).isZero();
        assertThat(run("keys", "lookup", "alice@example.test")).isEqualTo(1);
        assertThat(run("keys", "export", "alice@example.test", "--type", "openpgp")).isEqualTo(2);
        assertThat(run("keys", "revoke", fpr)).isEqualTo(2);
    }

    @Test
    void profilesV6AndRsa() throws Exception {
        assertThat(run("keys", "generate", "alice@example.test", "--type", "openpgp", "--profile", "rfc9580")).isZero();
        assertThat(run("keys", "generate", "bob@example.test", "--type", "openpgp", "--rsa")).isZero();
        assertThat(run("keys", "generate", "bob@example.test", "--type", "openpgp", "--profile", "nonsense")).isEqualTo(2);
        assertThat(run("keys", "generate", "carol@example.test", "--type", "openpgp")).isEqualTo(2);
        try (Store s = open()) {
            Keys.OwnKey a = s.keys().currentOwn("alice@example.test", Keys.Type.OPENPGP).orElseThrow();
            assertThat(a.fingerprint()).hasSize(64);
            assertThat(OpenPgpKeys.version(OpenPgpKeys.readCertificate(a.publicKey()))).isEqualTo(6);
            Keys.OwnKey b = s.keys().currentOwn("bob@example.test", Keys.Type.OPENPGP).orElseThrow();
            var cert = OpenPgpKeys.readCertificate(b.publicKey());
            assertThat(cert.getPrimaryKey().getPGPPublicKey().getBitStrength()).isEqualTo(3072);
        }
    }

    @Test
    void smimeCertificateFromTheInternalCaVerifiesWithOpenssl() throws Exception {
        assertThat(run("keys", "generate", "alice@example.test", "--type", "smime")).isZero();
        assertThat(out()).contains("created the internal S/MIME CA of example.test").contains("generated smime key ");
        assertThat(run("smime", "issue", "bob@example.test")).isZero();
        assertThat(out()).doesNotContain("created the internal");
        assertThat(run("smime", "ca", "init", "example.test")).isZero();
        assertThat(out()).contains("already has");
        assertThat(run("smime", "ca", "export", "example.test")).isZero();
        Files.writeString(work.resolve("ca.pem"), out());
        assertThat(run("keys", "export", "alice@example.test", "--type", "smime")).isZero();
        String pem = out();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").containsOnlyOnce("BEGIN CERTIFICATE");
        Files.writeString(work.resolve("alice.pem"), pem);
        X509Certificate c = KeysCommand.certificate(KeyMaterial.readX509(pem.getBytes(StandardCharsets.US_ASCII)).getFirst().publicKey());
        assertThat(KeyMaterial.emailsOf(c)).containsExactly("alice@example.test");
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.4");
        try (Store s = open()) {
            Keys.OwnKey k = s.keys().currentOwn("alice@example.test", Keys.Type.SMIME).orElseThrow();
            assertThat(SmimeCa.privateKey(s.keys().privateKey(k)).getAlgorithm()).isEqualTo("RSA");
        }
        Peers.require("openssl");
        for (String purpose : List.of("smimesign", "smimeencrypt")) {
            Res v = sh(new byte[0], Map.of(), "openssl", "verify", "-CAfile", "ca.pem", "-purpose", purpose, "alice.pem");
            assertThat(v.exit()).as(v.out()).isZero();
            assertThat(v.out()).contains("alice.pem: OK");
        }
        // a certificate from another CA does not verify against ours
        SmimeCa other = SmimeCa.create("example.test", Instant.now());
        Files.writeString(work.resolve("other.pem"), KeyMaterial.pem(other.issue("alice@example.test", Instant.now()).certificate().getEncoded()));
        assertThat(sh(new byte[0], Map.of(), "openssl", "verify", "-CAfile", "ca.pem", "-purpose", "smimesign", "other.pem").exit()).isNotZero();
    }

    @Test
    void importArmoredCertPemAndPkcs12() throws Exception {
        // someone else's OpenPGP certificate, armored: stored as a peer key with origin import
        var carol = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of("Carol <carol@elsewhere.test>"), Clock.systemUTC());
        Files.write(work.resolve("carol.asc"), OpenPgpKeys.extractCertificate(carol, true));
        assertThat(run("keys", "import", work.resolve("carol.asc").toString())).isZero();
        assertThat(out()).contains("imported openpgp certificate " + OpenPgpKeys.fingerprint(carol) + " for carol@elsewhere.test");
        assertThat(run("keys", "show", OpenPgpKeys.fingerprint(carol))).isZero();
        assertThat(out()).containsOnlyOnce("peer openpgp carol@elsewhere.test").contains("addresses: carol@elsewhere.test");
        assertThat(run("keys", "lookup", "carol@elsewhere.test")).isZero();
        assertThat(out()).startsWith("openpgp " + OpenPgpKeys.fingerprint(carol) + " origin import trusted yes");

        // a PEM certificate for an address given on the command line
        SmimeCa ca = SmimeCa.create("elsewhere.test", Instant.now());
        SmimeCa.Issued dave = ca.issue("dave@elsewhere.test", Instant.now());
        Files.writeString(work.resolve("dave.pem"), KeyMaterial.pem(dave.certificate().getEncoded()));
        assertThat(run("keys", "import", "dave@elsewhere.test", work.resolve("dave.pem").toString())).isZero();
        assertThat(run("keys", "export", "dave@elsewhere.test", "--type", "smime")).isZero();
        assertThat(out()).isEqualTo(KeyMaterial.pem(dave.certificate().getEncoded()));

        // an armored secret key of a local account becomes its own key
        var aliceKey = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of("<alice@example.test>"), Clock.systemUTC());
        Files.write(work.resolve("alice.key"), OpenPgpKeys.encode(aliceKey, true));
        assertThat(run("keys", "import", work.resolve("alice.key").toString())).isZero();
        assertThat(out()).contains("imported own openpgp key " + OpenPgpKeys.fingerprint(aliceKey));
        // not for someone who is not local
        Files.write(work.resolve("carol.key"), OpenPgpKeys.encode(carol, true));
        assertThat(run("keys", "import", work.resolve("carol.key").toString())).isEqualTo(2);

        // PKCS#12 (password on standard input) for bob
        SmimeCa ours = SmimeCa.create("example.test", Instant.now());
        SmimeCa.Issued bob = ours.issue("bob@example.test", Instant.now());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("bob", bob.privateKey(), "p12 secret".toCharArray(), new Certificate[] {bob.certificate(), ours.certificate()});
        ByteArrayOutputStream p12 = new ByteArrayOutputStream();
        ks.store(p12, "p12 secret".toCharArray());
        Files.write(work.resolve("bob.p12"), p12.toByteArray());
        System.setIn(new ByteArrayInputStream("wrong\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("keys", "import", "bob@example.test", work.resolve("bob.p12").toString())).isEqualTo(2);
        System.setIn(new ByteArrayInputStream("p12 secret\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("keys", "import", "bob@example.test", work.resolve("bob.p12").toString())).isZero();
        try (Store s = open()) {
            assertThat(s.keys().currentOwn("alice@example.test", Keys.Type.OPENPGP).orElseThrow().fingerprint()).isEqualTo(OpenPgpKeys.fingerprint(aliceKey));
            Keys.OwnKey b = s.keys().currentOwn("bob@example.test", Keys.Type.SMIME).orElseThrow();
            assertThat(s.keys().privateKey(b)).isEqualTo(bob.privateKey().getEncoded());
            assertThat(s.keys().peers("carol@elsewhere.test")).singleElement().extracting(Keys.PeerKey::origin).isEqualTo(Keys.Origin.IMPORT);
        }
    }

    @Test
    void rotateKekKeepsKeysUsable() throws Exception {
        assertThat(run("keys", "generate", "alice@example.test", "--type", "openpgp")).isZero();
        byte[] before = Files.readAllBytes(dir.resolve("keys/kek"));
        assertThat(run("keys", "rotate-kek")).isZero();
        assertThat(out()).contains("1 private keys re-sealed");
        assertThat(Files.readAllBytes(dir.resolve("keys/kek"))).isNotEqualTo(before);
        try (Store s = open()) {
            Keys.OwnKey k = s.keys().currentOwn("alice@example.test", Keys.Type.OPENPGP).orElseThrow();
            assertThat(OpenPgpKeys.fingerprint(OpenPgpKeys.readKey(s.keys().privateKey(k)))).isEqualTo(k.fingerprint());
        }
    }
    @Test
    void policyIsSetPerDomainAndAddressAndShownInForce() {
        assertThat(run("keys", "policy")).isZero();
        assertThat(out()).contains("no policies");
        assertThat(run("keys", "policy", "example.test", "--sign", "always", "--encrypt", "when-possible")).isZero();
        assertThat(out()).contains("set example.test: sign always encrypt when-possible inbound -");
        assertThat(run("keys", "policy", "Bob@Example.test", "--inbound", "decrypt")).isZero();
        assertThat(out()).contains("set bob@example.test: sign - encrypt - inbound decrypt",
                "in force for bob@example.test: sign always encrypt when-possible inbound decrypt");
        assertThat(run("keys", "policy", "alice@example.test")).isZero();
        assertThat(out()).contains("alice@example.test: no policy of its own", "in force for alice@example.test: sign always encrypt when-possible inbound keep");
        assertThat(run("keys", "policy")).isZero();
        assertThat(out()).contains("bob@example.test: sign - encrypt - inbound decrypt", "example.test: sign always encrypt when-possible inbound -");
        assertThat(run("keys", "policy", "example.test", "--encrypt", "sometimes")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("encrypt must be one of never, tagged, when-possible, required");
        assertThat(run("keys", "policy", "example.test", "--inbound", "encrypt-at-rest")).isEqualTo(2);
        assertThat(run("keys", "policy", "bob@example.test", "--remove")).isZero();
        assertThat(run("keys", "policy", "bob@example.test", "--remove")).isEqualTo(1);
    }
}
