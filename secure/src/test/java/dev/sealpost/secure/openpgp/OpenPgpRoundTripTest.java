package dev.sealpost.secure.openpgp;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenPgpRoundTripTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    static final Map<KeyProfile, OpenPGPKey> KEYS = new EnumMap<>(KeyProfile.class);
    static final byte[] DATA = "Hello,\nworld \n- dashed\n".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void keys() throws Exception {
        for (KeyProfile p : KeyProfile.values()) {
            KEYS.put(p, OpenPgpKeys.generate(p, List.of(OpenPgpKeys.userIdFor("alice@example.test")), CLOCK));
        }
    }

    static OpenPGPCertificate cert(KeyProfile p) {
        return KEYS.get(p).toCertificate();
    }

    static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x01;
        return c;
    }

    @ParameterizedTest
    @EnumSource(KeyProfile.class)
    void generatedKeysHaveTheirShape(KeyProfile p) throws Exception {
        OpenPGPKey k = KEYS.get(p);
        assertThat(OpenPgpKeys.version(k)).isEqualTo(p == KeyProfile.V6_CURVE25519 ? 6 : 4);
        assertThat(OpenPgpKeys.fingerprint(k)).hasSize(p == KeyProfile.V6_CURVE25519 ? 64 : 40);
        assertThat(k.getEncryptionKeys()).isNotEmpty();
        assertThat(k.getSigningKeys()).isNotEmpty();
        assertThat(k.getPrimaryUserId().getUserId()).isEqualTo("<alice@example.test>");
        byte[] armored = OpenPgpKeys.extractCertificate(k, true);
        assertThat(new String(armored, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        OpenPGPCertificate back = OpenPgpKeys.readCertificate(armored);
        assertThat(back.isSecretKey()).isFalse();
        assertThat(OpenPgpKeys.fingerprint(back)).isEqualTo(OpenPgpKeys.fingerprint(k));
        byte[] secret = OpenPgpKeys.encode(k, true);
        assertThat(new String(secret, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
        assertThat(OpenPgpKeys.fingerprint(OpenPgpKeys.readKey(secret))).isEqualTo(OpenPgpKeys.fingerprint(k));
        assertThatThrownBy(() -> OpenPgpKeys.readKey(armored)).isInstanceOf(OpenPgpException.class)
                .extracting(e -> ((OpenPgpException) e).reason()).isEqualTo(OpenPgpException.Reason.KEY_CANNOT_SIGN);
        assertThat(OpenPgpKeys.dearmor(armored)).isEqualTo(k.toCertificate().getEncoded());
    }

    @ParameterizedTest
    @EnumSource(KeyProfile.class)
    void detachedSignatureVerifiesAndTamperingFails(KeyProfile p) throws Exception {
        OpenPgpSigner signer = new OpenPgpSigner(CLOCK);
        OpenPgpVerifier verifier = new OpenPgpVerifier();
        for (OpenPgpSigner.Mode mode : OpenPgpSigner.Mode.values()) {
            byte[] sig = signer.signDetached(List.of(KEYS.get(p)), DATA, mode, true);
            List<OpenPgpVerification> ok = verifier.verifyDetached(List.of(cert(p)), sig, DATA);
            assertThat(ok).singleElement().isInstanceOfSatisfying(OpenPgpVerification.Good.class, g -> {
                assertThat(g.primaryFingerprint()).isEqualTo(OpenPgpKeys.fingerprint(KEYS.get(p)));
                assertThat(g.created()).isEqualTo(CLOCK.instant());
                assertThat(g.textMode()).isEqualTo(mode == OpenPgpSigner.Mode.TEXT);
            });
            assertThat(verifier.verifyDetached(List.of(cert(p)), sig, flip(DATA, 3))).singleElement()
                    .isInstanceOfSatisfying(OpenPgpVerification.Bad.class, b -> assertThat(b.why()).isEqualTo(OpenPgpVerification.Reason.BAD_SIGNATURE));
            OpenPGPCertificate other = cert(p == KeyProfile.V6_CURVE25519 ? KeyProfile.V4_CURVE25519 : KeyProfile.V6_CURVE25519);
            assertThat(verifier.verifyDetached(List.of(other), sig, DATA)).singleElement()
                    .isInstanceOfSatisfying(OpenPgpVerification.Bad.class, b -> assertThat(b.why()).isEqualTo(OpenPgpVerification.Reason.UNKNOWN_SIGNER));
        }
    }

    @ParameterizedTest
    @EnumSource(KeyProfile.class)
    void inlineAndCleartextSignatures(KeyProfile p) throws Exception {
        OpenPgpSigner signer = new OpenPgpSigner(CLOCK);
        OpenPgpVerifier verifier = new OpenPgpVerifier();
        byte[] inline = signer.signInline(List.of(KEYS.get(p)), DATA, OpenPgpSigner.Mode.BINARY, true);
        OpenPgpVerifier.Inline r = verifier.verifyInline(List.of(cert(p)), inline);
        assertThat(r.anyGood()).isTrue();
        assertThat(r.content()).isEqualTo(DATA);
        byte[] csf = signer.signCleartext(List.of(KEYS.get(p)), DATA);
        String text = new String(csf, StandardCharsets.UTF_8);
        assertThat(text).startsWith("-----BEGIN PGP SIGNED MESSAGE-----\n").contains("\n- - dashed\n");
        assertThat(text.contains("Hash: ")).isEqualTo(p != KeyProfile.V6_CURVE25519);
        OpenPgpVerifier.Inline c = verifier.verifyInline(List.of(cert(p)), csf);
        assertThat(c.anyGood()).isTrue();
        assertThat(new String(c.content(), StandardCharsets.UTF_8)).isEqualTo("Hello,\nworld \n- dashed\n");
        byte[] altered = text.replace("Hello,", "Hallo,").getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verifyInline(List.of(cert(p)), altered).anyGood()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(KeyProfile.class)
    void encryptSignedThenDecrypt(KeyProfile p) throws Exception {
        byte[] msg = new OpenPgpEncryptor(CLOCK).encrypt(List.of(cert(p)), List.of(KEYS.get(p)), DATA, OpenPgpSigner.Mode.BINARY, true);
        OpenPgpDecryption d = new OpenPgpDecryptor().decrypt(List.of(KEYS.get(p)), List.of(cert(p)), msg);
        assertThat(d).isInstanceOfSatisfying(OpenPgpDecryption.Decrypted.class, ok -> {
            assertThat(ok.plaintext()).isEqualTo(DATA);
            assertThat(ok.encrypted()).isTrue();
            assertThat(ok.aead()).isEqualTo(p == KeyProfile.V6_CURVE25519);
            assertThat(ok.good()).singleElement().extracting(OpenPgpVerification.Good::primaryFingerprint)
                    .isEqualTo(OpenPgpKeys.fingerprint(KEYS.get(p)));
        });
        KeyProfile wrong = p == KeyProfile.V4_CURVE25519 ? KeyProfile.V6_CURVE25519 : KeyProfile.V4_CURVE25519;
        assertThat(new OpenPgpDecryptor().decrypt(List.of(KEYS.get(wrong)), List.of(), msg))
                .isInstanceOfSatisfying(OpenPgpDecryption.Failed.class, f -> assertThat(f.why()).as(f.detail()).isEqualTo(OpenPgpDecryption.Reason.NO_DECRYPTION_KEY));
        byte[] binary = OpenPgpKeys.dearmor(msg);
        assertThat(new OpenPgpDecryptor().decrypt(List.of(KEYS.get(p)), List.of(), flip(binary, binary.length - 20)))
                .isInstanceOf(OpenPgpDecryption.Failed.class);
    }

    @Test
    void aeadOnlyWhenEveryRecipientIsV6() throws Exception {
        List<OpenPGPCertificate> mixed = List.of(cert(KeyProfile.V6_CURVE25519), cert(KeyProfile.V4_CURVE25519));
        assertThat(OpenPgpEncryptor.usesAead(mixed)).isFalse();
        byte[] msg = new OpenPgpEncryptor(CLOCK).encrypt(mixed, List.of(), DATA, OpenPgpSigner.Mode.BINARY, false);
        for (KeyProfile p : List.of(KeyProfile.V6_CURVE25519, KeyProfile.V4_CURVE25519)) {
            assertThat(new OpenPgpDecryptor().decrypt(List.of(KEYS.get(p)), List.of(), msg))
                    .isInstanceOfSatisfying(OpenPgpDecryption.Decrypted.class, ok -> {
                        assertThat(ok.plaintext()).isEqualTo(DATA);
                        assertThat(ok.aead()).isFalse();
                    });
        }
    }

    /** RFC 9580 §5.7: Symmetrically Encrypted Data without integrity protection is refused; the same with an MDC decrypts. */
    @Test
    void messageWithoutIntegrityProtectionIsRefused() throws Exception {
        OpenPGPKey k = KEYS.get(KeyProfile.V4_CURVE25519);
        assertThat(new OpenPgpDecryptor().decrypt(List.of(k), List.of(), lowLevel(k, true)))
                .isInstanceOfSatisfying(OpenPgpDecryption.Decrypted.class, ok -> assertThat(ok.plaintext()).isEqualTo(DATA));
        assertThat(new OpenPgpDecryptor().decrypt(List.of(k), List.of(), lowLevel(k, false)))
                .isInstanceOf(OpenPgpDecryption.Failed.class);
    }

    private static byte[] lowLevel(OpenPGPKey k, boolean integrity) throws Exception {
        var encKey = k.toCertificate().getEncryptionKeys().getFirst().getPGPPublicKey();
        var gen = new org.bouncycastle.openpgp.PGPEncryptedDataGenerator(
                new org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder(org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_256)
                        .setWithIntegrityPacket(integrity));
        gen.addMethod(new org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator(encKey));
        var bytes = new java.io.ByteArrayOutputStream();
        try (var enc = gen.open(bytes, new byte[4096])) {
            var lit = new org.bouncycastle.openpgp.PGPLiteralDataGenerator();
            try (var l = lit.open(enc, org.bouncycastle.openpgp.PGPLiteralData.BINARY, "", DATA.length, new java.util.Date())) {
                l.write(DATA);
            }
        }
        return bytes.toByteArray();
    }
}
