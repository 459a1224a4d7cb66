package dev.sealpost.secure.smime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static dev.sealpost.secure.smime.Fixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

/** The guards in front of Bouncy Castle's parser: hostile nesting and garbage give named failures, not exceptions. */
class GuardsTest {
    /** {@code depth} nested definite-length SEQUENCEs around NULL, DER. */
    static byte[] nested(int depth) {
        byte[] inner = {0x05, 0x00};
        for (int i = 0; i < depth; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x30);
            int n = inner.length;
            if (n < 0x80) out.write(n);
            else if (n < 0x100) { out.write(0x81); out.write(n); }
            else if (n < 0x10000) { out.write(0x82); out.write(n >> 8); out.write(n); }
            else { out.write(0x83); out.write(n >> 16); out.write(n >> 8); out.write(n); }
            out.writeBytes(inner);
            inner = out.toByteArray();
        }
        return inner;
    }

    /** {@code depth} nested indefinite-length SEQUENCEs (BER). */
    static byte[] nestedIndefinite(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) { out.write(0x30); out.write(0x80); }
        out.write(0x05); out.write(0x00);
        for (int i = 0; i < depth; i++) { out.write(0); out.write(0); }
        return out.toByteArray();
    }

    @Test
    void deepAsn1IsRefusedBeforeParsing() {
        SmimeVerifier verifier = new SmimeVerifier(Rfc4134Test.ANCHORS, List.of(), CLOCK, SmimeLimits.defaults());
        SmimeDecryptor decryptor = new SmimeDecryptor(Identities.BOB_ENC.key(), Identities.BOB_ENC.cert(), SmimeLimits.defaults());
        for (byte[] deep : List.of(nested(1_000), nestedIndefinite(200_000))) {
            assertThat(verifier.verifySignedData(deep, null, null)).singleElement().isInstanceOfSatisfying(SmimeVerification.Fail.class,
                    f -> assertThat(f.failure()).isEqualTo(SmimeFailure.CMS_TOO_DEEP));
            assertThat(decryptor.decryptCms(deep)).isInstanceOfSatisfying(SmimeDecryption.Fail.class,
                    f -> assertThat(f.failure()).isEqualTo(SmimeFailure.CMS_TOO_DEEP));
            byte[] msg = ("From: a@b.example\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(deep) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertThat(verifier.verify(msg)).isInstanceOfSatisfying(SmimeVerification.Fail.class,
                    f -> assertThat(f.failure()).isEqualTo(SmimeFailure.CMS_TOO_DEEP));
        }
        // shallow nesting is not what stops a parse
        assertThat(verifier.verifySignedData(nested(10), null, null)).singleElement().isInstanceOfSatisfying(SmimeVerification.Fail.class,
                f -> assertThat(f.failure()).isEqualTo(SmimeFailure.MALFORMED_CMS));
    }

    @Test
    void garbageIsMalformedNotAnException() {
        SmimeVerifier verifier = new SmimeVerifier(Rfc4134Test.ANCHORS, List.of(), CLOCK, SmimeLimits.defaults());
        for (byte[] junk : List.of(new byte[0], new byte[]{0x30}, new byte[]{0x30, (byte) 0x84, 0x7f, 0, 0, 0}, "hello".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(verifier.verifySignedData(junk, null, null)).singleElement().isInstanceOfSatisfying(SmimeVerification.Fail.class,
                    f -> assertThat(f.failure()).isEqualTo(SmimeFailure.MALFORMED_CMS));
        }
        byte[] badBase64 = ("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\n--b\r\n\r\nx\r\n"
                + "--b\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=00\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(verifier.verify(badBase64)).isInstanceOfSatisfying(SmimeVerification.Fail.class,
                f -> assertThat(f.failure()).isEqualTo(SmimeFailure.MALFORMED_MIME));
    }
}
