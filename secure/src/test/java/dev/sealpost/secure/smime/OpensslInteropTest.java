package dev.sealpost.secure.smime;

import dev.sealpost.secure.smime.Identities.Identity;
import dev.sealpost.secure.smime.SmimeEncryptor.ContentEncryption;
import dev.sealpost.secure.smime.SmimeEncryptor.Recipient;
import dev.sealpost.secure.smime.SmimeEncryptor.RsaKeyTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static dev.sealpost.secure.smime.Identities.ALICE_SIG;
import static dev.sealpost.secure.smime.Identities.BOB_ENC;
import static dev.sealpost.secure.smime.Identities.ERIN_EC;
import static dev.sealpost.secure.smime.Identities.RSA_CA;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop with the real {@code openssl} both ways: what we sign verifies with {@code openssl cms
 * -verify} and {@code openssl smime -verify}, what we encrypt decrypts with {@code openssl cms
 * -decrypt}; what {@code openssl cms -sign} and {@code openssl cms -encrypt} (AES-256-GCM and
 * AES-256-CBC) make verifies and decrypts with ours. Skips without openssl unless
 * {@code SEALPOST_REQUIRE_INTEROP=1}. (OpenSSL 3.0 cannot verify Ed25519 CMS signatures, see
 * rfc9216/SOURCE.md: Ed25519 is covered by our own round trips only.)
 */
class OpensslInteropTest {
    @TempDir
    Path dir;

    /** Validation at the real time here: openssl checks validity against the system clock too. */
    private final SmimeVerifier verifier = new SmimeVerifier(List.of(RSA_CA, ERIN_EC.cert()), List.of(), Clock.systemUTC(), SmimeLimits.defaults());

    @BeforeEach
    void peers() throws Exception {
        Peers.require("openssl");
        Files.writeString(dir.resolve("rsa-ca.pem"), Fixtures.pem(RSA_CA));
        Files.writeString(dir.resolve("erin.pem"), Fixtures.pem(ERIN_EC.cert()));
        Files.writeString(dir.resolve("erin.key"), Fixtures.pem(ERIN_EC.key()));
        Files.writeString(dir.resolve("alice.pem"), Fixtures.pem(ALICE_SIG.cert()));
        Files.writeString(dir.resolve("alice.key"), Fixtures.pem(ALICE_SIG.key()));
        Files.writeString(dir.resolve("bob.pem"), Fixtures.pem(BOB_ENC.cert()));
        Files.writeString(dir.resolve("bob.key"), Fixtures.pem(BOB_ENC.key()));
    }

    static final String MESSAGE = "From: Alice <alice@smime.example>\r\nTo: bob@smime.example\r\nSubject: interop\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHello from Sealpost.\r\nSecond line.\r\n";
    static final String ENTITY = "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello from Sealpost.\r\nSecond line.\r\n";

    private Peers.Result openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, dir, 60);
    }

    private SmimeSigner signer(Identity id, SmimeSigner.RsaScheme scheme) {
        return new SmimeSigner(id.key(), List.of(id.cert()), scheme, Clock.systemUTC(), new SecureRandom());
    }

    @Test
    void opensslVerifiesWhatWeSign() throws Exception {
        record Case(String name, Identity id, SmimeSigner.RsaScheme scheme, String caFile) {}
        for (Case c : List.of(new Case("rsa-pkcs1", ALICE_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5, "rsa-ca.pem"),
                new Case("rsa-pss", ALICE_SIG, SmimeSigner.RsaScheme.PSS, "rsa-ca.pem"),
                new Case("ecdsa", ERIN_EC, SmimeSigner.RsaScheme.PKCS1_V1_5, "erin.pem"))) {
            Path signed = dir.resolve(c.name() + ".eml");
            Files.write(signed, signer(c.id(), c.scheme()).sign(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
            Path out = dir.resolve(c.name() + ".out");
            Peers.Result cms = openssl("cms", "-verify", "-in", signed.toString(), "-CAfile", c.caFile(), "-out", out.toString());
            assertThat(cms.exit()).as(c.name() + " cms -verify: " + cms.output()).isZero();
            assertThat(cms.output()).contains("Verification successful");
            assertThat(Files.readString(out)).isEqualTo(ENTITY); // the signed first part, exactly
            // openssl smime goes through the PKCS#7 code, which has no RSASSA-PSS: cms -verify only for PSS
            if (c.scheme() == SmimeSigner.RsaScheme.PSS && c.id() == ALICE_SIG) continue;
            Peers.Result smime = openssl("smime", "-verify", "-in", signed.toString(), "-CAfile", c.caFile(), "-out", "/dev/null");
            assertThat(smime.exit()).as(c.name() + " smime -verify: " + smime.output()).isZero();
        }
        // and a tampered copy is refused by openssl too
        Path signed = dir.resolve("tampered.eml");
        Files.writeString(signed, new String(signer(ALICE_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5).sign(MESSAGE.getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII).replace("Second line.", "Second lime."));
        assertThat(openssl("cms", "-verify", "-in", signed.toString(), "-CAfile", "rsa-ca.pem", "-out", "/dev/null").exit()).isNotZero();
    }

    @Test
    void opensslDecryptsWhatWeEncrypt() throws Exception {
        SmimeEncryptor encryptor = new SmimeEncryptor(new SecureRandom());
        record Case(String name, Recipient recipient, ContentEncryption enc, String cert, String key) {}
        for (Case c : List.of(new Case("gcm-oaep", Recipient.of(BOB_ENC.cert()), ContentEncryption.AES_256_GCM, "bob.pem", "bob.key"),
                new Case("gcm-pkcs1", new Recipient(BOB_ENC.cert(), RsaKeyTransport.PKCS1_V1_5), ContentEncryption.AES_256_GCM, "bob.pem", "bob.key"),
                new Case("cbc-oaep", Recipient.of(BOB_ENC.cert()), ContentEncryption.AES_256_CBC, "bob.pem", "bob.key"),
                new Case("gcm-ecdh", Recipient.of(ERIN_EC.cert()), ContentEncryption.AES_256_GCM, "erin.pem", "erin.key"))) {
            Path enc = dir.resolve(c.name() + ".eml");
            Files.write(enc, encryptor.encrypt(MESSAGE.getBytes(StandardCharsets.US_ASCII), List.of(c.recipient()),
                    new Recipient(ALICE_SIG.cert(), RsaKeyTransport.OAEP_SHA256), c.enc()));
            Path out = dir.resolve(c.name() + ".out");
            Peers.Result r = openssl("cms", "-decrypt", "-in", enc.toString(), "-recip", c.cert(), "-inkey", c.key(), "-out", out.toString());
            assertThat(r.exit()).as(c.name() + ": " + r.output()).isZero();
            assertThat(Files.readString(out)).as(c.name()).isEqualTo(ENTITY);
        }
        // the sender's copy is readable with the sender's key
        Path enc = dir.resolve("gcm-oaep.eml");
        Peers.Result self = openssl("cms", "-decrypt", "-in", enc.toString(), "-recip", "alice.pem", "-inkey", "alice.key", "-out", "/dev/null");
        assertThat(self.exit()).as(self.output()).isZero();
    }

    @Test
    void weVerifyWhatOpensslSigns() throws Exception {
        Path content = dir.resolve("content.txt");
        Files.writeString(content, ENTITY);
        for (String mode : List.of("detached", "opaque")) {
            Path signed = dir.resolve("ossl-" + mode + ".eml");
            List<String> args = new ArrayList<>(List.of("cms", "-sign", "-in", content.toString(), "-signer", "alice.pem", "-inkey", "alice.key",
                    "-from", "alice@smime.example", "-to", "bob@smime.example", "-subject", "from openssl", "-out", signed.toString()));
            if (mode.equals("opaque")) args.add("-nodetach");
            Peers.Result r = openssl(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.output()).isZero();
            byte[] msg = Files.readAllBytes(signed);
            assertThat(verifier.verify(msg)).as(mode).isInstanceOfSatisfying(SmimeVerification.Pass.class,
                    p -> assertThat(p.chain()).containsExactly(ALICE_SIG.cert(), RSA_CA));
        }
        // openssl's ECDSA signature, self-signed signer pinned as anchor
        Path signed = dir.resolve("ossl-ec.eml");
        Peers.Result r = openssl("cms", "-sign", "-in", content.toString(), "-signer", "erin.pem", "-inkey", "erin.key",
                "-from", "erin@smime.example", "-out", signed.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(verifier.verify(Files.readAllBytes(signed))).isInstanceOf(SmimeVerification.Pass.class);
    }

    @Test
    void weDecryptWhatOpensslEncrypts() throws Exception {
        Path content = dir.resolve("entity.txt");
        Files.writeString(content, ENTITY);
        SmimeDecryptor bob = new SmimeDecryptor(BOB_ENC.key(), BOB_ENC.cert(), SmimeLimits.defaults());
        SmimeDecryptor erin = new SmimeDecryptor(ERIN_EC.key(), ERIN_EC.cert(), SmimeLimits.defaults());
        record Case(String name, List<String> extra, SmimeDecryptor who, String cert, String algorithm) {}
        for (Case c : List.of(new Case("gcm", List.of("-aes-256-gcm"), bob, "bob.pem", "AES-256-GCM"),
                new Case("cbc", List.of("-aes-256-cbc"), bob, "bob.pem", "AES-256-CBC"),
                new Case("gcm-oaep", List.of("-aes-256-gcm", "-keyopt", "rsa_padding_mode:oaep"), bob, "bob.pem", "AES-256-GCM"),
                new Case("gcm-ecdh", List.of("-aes-256-gcm"), erin, "erin.pem", "AES-256-GCM"))) {
            Path enc = dir.resolve("ossl-" + c.name() + ".eml");
            List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-in", content.toString(), "-out", enc.toString(), "-recip", c.cert()));
            args.addAll(c.extra()); // -keyopt applies to the -recip before it
            Peers.Result r = openssl(args.toArray(String[]::new));
            assertThat(r.exit()).as(c.name() + ": " + r.output()).isZero();
            assertThat(c.who().decrypt(Files.readAllBytes(enc))).as(c.name()).isInstanceOfSatisfying(SmimeDecryption.Decrypted.class, d -> {
                assertThat(new String(d.content(), StandardCharsets.US_ASCII)).isEqualTo(ENTITY);
                assertThat(d.algorithm()).isEqualTo(c.algorithm());
            });
        }
    }
}
