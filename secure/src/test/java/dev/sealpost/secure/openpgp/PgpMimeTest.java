package dev.sealpost.secure.openpgp;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PgpMimeTest {
    static OpenPGPKey alice;
    static OpenPGPKey bob;
    static final byte[] MESSAGE = ("From: alice@example.test\nTo: bob@example.test\nSubject: hi\n"
            + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGr\u00fc\u00dfe, Bob.\n")
            .getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void keys() throws Exception {
        alice = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of("<alice@example.test>"), OpenPgpRoundTripTest.CLOCK);
        bob = OpenPgpKeys.generate(KeyProfile.V6_CURVE25519, List.of("<bob@example.test>"), OpenPgpRoundTripTest.CLOCK);
    }

    @Test
    void signedMessageVerifiesAndTamperingFails() throws Exception {
        PgpMime mime = new PgpMime(OpenPgpRoundTripTest.CLOCK);
        byte[] signed = mime.sign(MESSAGE, List.of(alice));
        String s = new String(signed, StandardCharsets.US_ASCII);
        assertThat(s).startsWith("From: alice@example.test\r\n").contains("Subject: hi\r\n")
                .contains("multipart/signed; micalg=pgp-sha").contains("protocol=\"application/pgp-signature\"")
                .contains("Content-Type: application/pgp-signature").contains("Content-Transfer-Encoding: base64\r\n")
                .doesNotContain("\r\n\n");
        var opened = mime.open(signed, List.of(), List.of(alice.toCertificate()));
        assertThat(opened).isInstanceOfSatisfying(PgpMime.Opened.Signed.class, v -> {
            assertThat(v.verifications()).singleElement().isInstanceOf(OpenPgpVerification.Good.class);
            assertThat(new String(v.entity(), StandardCharsets.US_ASCII)).startsWith("Content-Type: text/plain; charset=utf-8\r\n");
        });
        int at = s.indexOf("Content-Type: text/plain") + 15;
        byte[] tampered = signed.clone();
        tampered[at] ^= 0x01;
        assertThat(mime.open(tampered, List.of(), List.of(alice.toCertificate()))).isInstanceOfSatisfying(PgpMime.Opened.Signed.class,
                v -> assertThat(v.verifications()).noneMatch(x -> x instanceof OpenPgpVerification.Good));
        assertThat(mime.open(MESSAGE, List.of(), List.of())).isInstanceOf(PgpMime.Opened.NotPgpMime.class);
    }

    @Test
    void encryptedSignedMessageDecryptsAndTamperingFails() throws Exception {
        PgpMime mime = new PgpMime(OpenPgpRoundTripTest.CLOCK);
        byte[] enc = mime.encrypt(MESSAGE, List.of(bob.toCertificate(), alice.toCertificate()), List.of(alice));
        String s = new String(enc, StandardCharsets.US_ASCII);
        assertThat(s).contains("multipart/encrypted; protocol=\"application/pgp-encrypted\"")
                .contains("Content-Type: application/pgp-encrypted\r\n").contains("\r\nVersion: 1\r\n")
                .contains("Content-Type: application/octet-stream").contains("-----BEGIN PGP MESSAGE-----").doesNotContain("text/plain");
        for (OpenPGPKey k : List.of(alice, bob)) {
            assertThat(mime.open(enc, List.of(k), List.of(alice.toCertificate()))).isInstanceOfSatisfying(PgpMime.Opened.Decrypted.class, d -> {
                assertThat(d.aead()).isFalse();
                assertThat(d.verifications()).singleElement().isInstanceOf(OpenPgpVerification.Good.class);
                assertThat(new String(d.entity(), StandardCharsets.US_ASCII)).startsWith("Content-Type: text/plain; charset=utf-8\r\n")
                        .contains("Content-Transfer-Encoding: base64");
            });
        }
        byte[] v6only = mime.encrypt(MESSAGE, List.of(bob.toCertificate()), List.of());
        assertThat(mime.open(v6only, List.of(bob), List.of())).isInstanceOfSatisfying(PgpMime.Opened.Decrypted.class, d -> assertThat(d.aead()).isTrue());
        int at = s.indexOf("-----END PGP MESSAGE-----") - 60;
        byte[] tampered = enc.clone();
        tampered[at] = (byte) (tampered[at] == 'A' ? 'B' : 'A');
        assertThat(mime.open(tampered, List.of(alice), List.of())).isInstanceOf(PgpMime.Opened.DecryptionFailed.class);
    }
}
