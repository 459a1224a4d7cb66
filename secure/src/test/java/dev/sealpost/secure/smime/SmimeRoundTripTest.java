package dev.sealpost.secure.smime;

import dev.sealpost.secure.smime.Identities.Identity;
import dev.sealpost.secure.smime.SmimeEncryptor.ContentEncryption;
import dev.sealpost.secure.smime.SmimeEncryptor.Recipient;
import dev.sealpost.secure.smime.SmimeEncryptor.RsaKeyTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static dev.sealpost.secure.smime.Fixtures.CLOCK;
import static dev.sealpost.secure.smime.Identities.ALICE_SIG;
import static dev.sealpost.secure.smime.Identities.ANCHORS;
import static dev.sealpost.secure.smime.Identities.BOB_ENC;
import static dev.sealpost.secure.smime.Identities.CARLOS_SIG;
import static dev.sealpost.secure.smime.Identities.DANA_ENC;
import static dev.sealpost.secure.smime.Identities.ED25519_CA;
import static dev.sealpost.secure.smime.Identities.ERIN_EC;
import static dev.sealpost.secure.smime.Identities.RSA_CA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sign/verify and encrypt/decrypt round trips with the RFC 9216 sample identities (RSA and Ed25519
 * signers, RSA and X25519 recipients, chains to the sample CAs), a generated P-256 identity, and
 * tampered copies (one byte flipped) that must fail.
 */
class SmimeRoundTripTest {
    static final SmimeVerifier VERIFIER = new SmimeVerifier(ANCHORS, List.of(), CLOCK, SmimeLimits.defaults());

    static byte[] message(String from, String body) {
        return ("From: " + from + "\r\nTo: bob@smime.example\r\nSubject: sample\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    static SmimeSigner signer(Identity id, SmimeSigner.RsaScheme scheme) {
        return new SmimeSigner(id.key(), List.of(id.cert()), scheme, CLOCK, new SecureRandom());
    }

    @ParameterizedTest
    @EnumSource(SmimeSigner.RsaScheme.class)
    void aliceRsaSignatureVerifiesAndChainsToTheRsaCa(SmimeSigner.RsaScheme scheme) {
        byte[] signed = signer(ALICE_SIG, scheme).sign(message("Alice <alice@smime.example>", "Hello Bob.\r\n"));
        String text = new String(signed, StandardCharsets.US_ASCII);
        assertThat(text).contains("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256",
                "Subject: sample\r\n", "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello Bob.\r\n");
        assertThat(VERIFIER.verify(signed)).isInstanceOfSatisfying(SmimeVerification.Pass.class, p -> {
            assertThat(p.signer()).isEqualTo(ALICE_SIG.cert());
            assertThat(p.chain()).containsExactly(ALICE_SIG.cert(), RSA_CA);
            assertThat(p.addresses()).containsExactly("alice@smime.example");
            assertThat(p.result()).isEqualTo("pass");
        });
    }

    @Test
    void signedAttributesAndCertificatesAreThoseOfRfc8551() throws Exception {
        byte[] content = "Content-Type: text/plain\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        org.bouncycastle.cms.CMSSignedData cms = new org.bouncycastle.cms.CMSSignedData(
                new org.bouncycastle.cms.CMSProcessableByteArray(content), signer(ALICE_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5).signDetached(content));
        org.bouncycastle.cms.SignerInformation si = cms.getSignerInfos().getSigners().iterator().next();
        org.bouncycastle.asn1.cms.AttributeTable attrs = si.getSignedAttributes();
        // RFC 8551 §2.5: contentType, messageDigest, signingTime, SMIMECapabilities
        assertThat(attrs.get(org.bouncycastle.asn1.cms.CMSAttributes.contentType)).isNotNull();
        assertThat(attrs.get(org.bouncycastle.asn1.cms.CMSAttributes.messageDigest)).isNotNull();
        assertThat(attrs.get(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_smimeCapabilities)).isNotNull();
        assertThat(org.bouncycastle.asn1.cms.Time.getInstance(attrs.get(org.bouncycastle.asn1.cms.CMSAttributes.signingTime)
                .getAttrValues().getObjectAt(0)).getDate().toInstant()).isEqualTo(CLOCK.instant());
        assertThat(si.getDigestAlgOID()).isEqualTo("2.16.840.1.101.3.4.2.1"); // SHA-256
        assertThat(cms.getCertificates().getMatches(null)).hasSize(1);
        assertThat(cms.getSignedContent()).isNotNull();
        assertThat(new org.bouncycastle.cms.CMSSignedData(signer(ALICE_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5).signDetached(content))
                .isDetachedSignature()).isTrue();
    }

    @Test
    void carlosEd25519SignatureVerifiesWithSha512() {
        SmimeSigner s = signer(CARLOS_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5);
        assertThat(s.micalg()).isEqualTo("sha-512"); // RFC 8419 §3.1
        byte[] signed = s.sign(message("carlos@smime.example", "Hola.\r\n"));
        assertThat(VERIFIER.verify(signed)).isInstanceOfSatisfying(SmimeVerification.Pass.class,
                p -> assertThat(p.chain()).containsExactly(CARLOS_SIG.cert(), ED25519_CA));
    }

    @Test
    void ecdsaSignatureVerifiesAgainstAPinnedCertificate() {
        byte[] signed = signer(ERIN_EC, SmimeSigner.RsaScheme.PKCS1_V1_5).sign(message("erin@smime.example", "Hi.\r\n"));
        assertThat(VERIFIER.verify(signed)).isInstanceOfSatisfying(SmimeVerification.Policy.class,
                p -> assertThat(p.reason()).startsWith("untrusted signer"));
        SmimeVerifier pinned = new SmimeVerifier(List.of(ERIN_EC.cert()), List.of(), CLOCK, SmimeLimits.defaults());
        assertThat(pinned.verify(signed)).isInstanceOfSatisfying(SmimeVerification.Pass.class,
                p -> assertThat(p.chain()).containsExactly(ERIN_EC.cert()));
    }

    @Test
    void opaqueSignedDataVerifies() {
        byte[] entity = "Content-Type: text/plain\r\n\r\nopaque\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] cms = signer(ALICE_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5).signEncapsulated(entity);
        byte[] msg = opaque("alice@smime.example", "signed-data", cms);
        assertThat(VERIFIER.verify(msg)).isInstanceOf(SmimeVerification.Pass.class);
        // encapsulated content tampered: flip a byte of "opaque" inside the DER
        byte[] bad = cms.clone();
        int at = indexOf(bad, "opaque".getBytes(StandardCharsets.US_ASCII));
        bad[at] ^= 1;
        assertThat(VERIFIER.verify(opaque("alice@smime.example", "signed-data", bad))).isInstanceOfSatisfying(SmimeVerification.Fail.class,
                f -> assertThat(f.failure()).isEqualTo(SmimeFailure.DIGEST_MISMATCH));
    }

    static byte[] opaque(String from, String smimeType, byte[] cms) {
        return ("From: " + from + "\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=" + smimeType
                + "; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(cms) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aByteFlippedInTheSignedContentFails() {
        byte[] signed = signer(ALICE_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5).sign(message("alice@smime.example", "Pay 100 EUR.\r\n"));
        byte[] bad = signed.clone();
        bad[indexOf(bad, "100".getBytes(StandardCharsets.US_ASCII))] = '9';
        assertThat(VERIFIER.verify(bad)).isInstanceOfSatisfying(SmimeVerification.Fail.class,
                f -> assertThat(f.failure()).isEqualTo(SmimeFailure.DIGEST_MISMATCH));
        // a changed content header is covered too (the whole first part is signed)
        byte[] header = new String(signed, StandardCharsets.US_ASCII).replace("charset=utf-8", "charset=utf-7").getBytes(StandardCharsets.US_ASCII);
        assertThat(VERIFIER.verify(header)).isInstanceOf(SmimeVerification.Fail.class);
    }

    @Test
    void aByteFlippedInTheSignatureValueFails() {
        for (Identity id : List.of(ALICE_SIG, CARLOS_SIG)) {
            SmimeSigner s = signer(id, SmimeSigner.RsaScheme.PKCS1_V1_5);
            byte[] content = "Content-Type: text/plain\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] sig = s.signDetached(content);
            sig[sig.length - 1] ^= 0x01; // the SignerInfo's signature value is the last field (no unsigned attributes)
            assertThat(VERIFIER.verifySignedData(sig, content, null)).as(id.cert().getSubjectX500Principal().getName())
                    .singleElement().isInstanceOfSatisfying(SmimeVerification.Fail.class,
                            f -> assertThat(f.failure()).isEqualTo(SmimeFailure.BAD_SIGNATURE));
        }
    }

    @Test
    void aSignerWhoIsNotTheSenderIsPolicy() {
        byte[] signed = signer(ALICE_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5).sign(message("mallory@smime.example", "Hi.\r\n"));
        assertThat(VERIFIER.verify(signed)).isInstanceOfSatisfying(SmimeVerification.Policy.class, p -> {
            assertThat(p.reason()).contains("alice@smime.example", "mallory@smime.example");
            assertThat(p.result()).isEqualTo("policy");
        });
    }

    @Test
    void eightBitLeafBodiesAreSentAsBase64AndBareLineFeedsAreCanonicalized() {
        String body = "Grüße aus Köln.\nZweite Zeile.\n";
        byte[] lf = new String(message("alice@smime.example", body), StandardCharsets.UTF_8).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
        byte[] signed = signer(ALICE_SIG, SmimeSigner.RsaScheme.PKCS1_V1_5).sign(lf);
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("Content-Transfer-Encoding: base64\r\n").doesNotContain("Köln");
        assertThat(text.replace("\r\n", "\n")).doesNotContain("\r");
        for (int i = 0; i < signed.length; i++) if (signed[i] == '\n') assertThat(signed[i - 1]).isEqualTo((byte) '\r');
        assertThat(VERIFIER.verify(signed)).isInstanceOf(SmimeVerification.Pass.class);
        // a store that turned CRLF into LF does not break the signature (leniency: re-canonicalized)
        assertThat(VERIFIER.verify(text.replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1))).isInstanceOf(SmimeVerification.Pass.class);
    }

    @Test
    void unsignedAndPgpMessagesAreNone() {
        assertThat(VERIFIER.verify(message("a@b.example", "plain\r\n"))).isInstanceOf(SmimeVerification.None.class);
        byte[] pgp = ("From: a@b.example\r\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256; boundary=b\r\n\r\n"
                + "--b\r\n\r\nx\r\n--b\r\nContent-Type: application/pgp-signature\r\n\r\nsig\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(VERIFIER.verify(pgp)).isInstanceOf(SmimeVerification.None.class);
        assertThat(new SmimeVerification.None().result()).isEqualTo("none");
    }

    @ParameterizedTest
    @EnumSource(ContentEncryption.class)
    void encryptsToEveryRecipientAndTheSender(ContentEncryption enc) {
        byte[] msg = message("alice@smime.example", "Secret: the eagle lands at noon.\r\n");
        SmimeEncryptor encryptor = new SmimeEncryptor(new SecureRandom());
        byte[] encrypted = encryptor.encrypt(msg,
                List.of(Recipient.of(BOB_ENC.cert()), Recipient.of(ERIN_EC.cert())),
                new Recipient(ALICE_SIG.cert(), RsaKeyTransport.PKCS1_V1_5), enc);
        String text = new String(encrypted, StandardCharsets.US_ASCII);
        assertThat(text).contains("Subject: sample\r\n", "smime-type=" + (enc == ContentEncryption.AES_256_GCM ? "authEnveloped-data" : "enveloped-data"))
                .doesNotContain("eagle");
        for (Identity id : List.of(BOB_ENC, ERIN_EC, ALICE_SIG)) {
            SmimeDecryption d = new SmimeDecryptor(id.key(), id.cert(), SmimeLimits.defaults()).decrypt(encrypted);
            assertThat(d).as(id.cert().getSubjectX500Principal().getName()).isInstanceOfSatisfying(SmimeDecryption.Decrypted.class, ok -> {
                assertThat(new String(ok.content(), StandardCharsets.UTF_8))
                        .isEqualTo("Content-Type: text/plain; charset=utf-8\r\n\r\nSecret: the eagle lands at noon.\r\n");
                assertThat(ok.algorithm()).isEqualTo(enc == ContentEncryption.AES_256_GCM ? "AES-256-GCM" : "AES-256-CBC");
                assertThat(ok.authenticated()).isEqualTo(enc == ContentEncryption.AES_256_GCM);
            });
        }
        assertThat(VERIFIER.verify(encrypted)).isInstanceOf(SmimeVerification.None.class);
    }

    @Test
    void notForUsAndTamperedCiphertext() {
        SmimeEncryptor encryptor = new SmimeEncryptor(new SecureRandom());
        byte[] cms = encryptor.encryptEntity("Content-Type: text/plain\r\n\r\nhidden\r\n".getBytes(StandardCharsets.US_ASCII),
                List.of(new Recipient(BOB_ENC.cert(), RsaKeyTransport.PKCS1_V1_5)), ContentEncryption.AES_256_GCM);
        SmimeDecryptor bob = new SmimeDecryptor(BOB_ENC.key(), BOB_ENC.cert(), SmimeLimits.defaults());
        assertThat(bob.decryptCms(cms)).isInstanceOf(SmimeDecryption.Decrypted.class);
        assertThat(new SmimeDecryptor(ERIN_EC.key(), ERIN_EC.cert(), SmimeLimits.defaults()).decryptCms(cms))
                .isInstanceOf(SmimeDecryption.NotForUs.class);
        // AuthEnvelopedData: the mac is the last field; one flipped bit there or in the ciphertext fails (RFC 5083 §2.2)
        for (int offset : new int[]{1, 20, 40}) {
            byte[] bad = cms.clone();
            bad[bad.length - offset] ^= 0x01;
            assertThat(bob.decryptCms(bad)).as("offset " + offset).isInstanceOf(SmimeDecryption.Fail.class);
        }
        assertThat(bob.decrypt(message("a@b.example", "plain\r\n"))).isInstanceOfSatisfying(SmimeDecryption.Fail.class,
                f -> assertThat(f.failure()).isEqualTo(SmimeFailure.NOT_ENCRYPTED));
    }

    @Test
    void limitsHaveNamedFailures() {
        byte[] cms = new SmimeEncryptor(new SecureRandom()).encryptEntity("x".getBytes(StandardCharsets.US_ASCII),
                List.of(Recipient.of(BOB_ENC.cert()), Recipient.of(ERIN_EC.cert())), ContentEncryption.AES_256_GCM);
        SmimeLimits one = new SmimeLimits(1 << 20, 5, 1, 1, 1);
        assertThat(new SmimeDecryptor(BOB_ENC.key(), BOB_ENC.cert(), one).decryptCms(cms)).isInstanceOfSatisfying(SmimeDecryption.Fail.class,
                f -> assertThat(f.failure()).isEqualTo(SmimeFailure.TOO_MANY_RECIPIENTS));
        SmimeVerifier strict = new SmimeVerifier(Rfc4134Test.ANCHORS, List.of(), CLOCK, one);
        assertThat(strict.verifySignedData(Fixtures.read(Fixtures.rfc4134("4.6.bin")), null, null)).singleElement()
                .isInstanceOfSatisfying(SmimeVerification.Fail.class, f -> assertThat(f.failure()).isEqualTo(SmimeFailure.TOO_MANY_SIGNERS));
        // 4.5 carries two certificates
        assertThat(strict.verifySignedData(Fixtures.read(Fixtures.rfc4134("4.5.bin")), null, null)).singleElement()
                .isInstanceOfSatisfying(SmimeVerification.Fail.class, f -> assertThat(f.failure()).isEqualTo(SmimeFailure.TOO_MANY_CERTIFICATES));
        SmimeLimits tiny = new SmimeLimits(100, 5, 8, 50, 10);
        assertThat(new SmimeVerifier(ANCHORS, List.of(), CLOCK, tiny).verify(new byte[101])).isInstanceOfSatisfying(SmimeVerification.Fail.class,
                f -> assertThat(f.failure()).isEqualTo(SmimeFailure.MESSAGE_TOO_LARGE));
        StringBuilder deep = new StringBuilder("From: a@b.example\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b0\r\n\r\n");
        for (int i = 1; i < 10; i++) deep.append("--b").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n");
        assertThat(new SmimeVerifier(ANCHORS, List.of(), CLOCK, new SmimeLimits(1 << 20, 3, 8, 50, 10)).verify(deep.toString().getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(SmimeVerification.Fail.class, f -> assertThat(f.failure()).isEqualTo(SmimeFailure.MIME_LIMIT));
    }

    @Test
    void signingKeysOtherThanRsaEcEd25519AreAConfigurationFault() {
        assertThatThrownBy(() -> new SmimeSigner(DANA_ENC.key(), List.of(DANA_ENC.cert()), CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X");
    }

    @Test
    void x25519RecipientsAreRefusedForNow() {
        // RFC 8418 key agreement is not supported yet (see SmimeEncryptor): a clear refusal, not a broken message
        assertThatThrownBy(() -> new SmimeEncryptor(new SecureRandom()).encryptEntity(new byte[1],
                List.of(Recipient.of(DANA_ENC.cert())), ContentEncryption.AES_256_GCM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("XDH");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
