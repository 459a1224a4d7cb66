package dev.sealpost.web.admin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6238 with a pinned clock: the Appendix B vectors (SHA-1), the ±1 step window, base32 and the URI. */
class TotpTest {
    /** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({ // RFC 6238 Appendix B, mode SHA1: time (s), T (hex), TOTP
            "59, 0000000000000001, 94287082",
            "1111111109, 00000000023523EC, 07081804",
            "1111111111, 00000000023523ED, 14050471",
            "1234567890, 000000000273EF07, 89005924",
            "2000000000, 0000000003F940AA, 69279037",
            "20000000000, 0000000027BC86AA, 65353130"})
    void rfc6238AppendixB(long seconds, String stepHex, String expected) {
        Instant t = Instant.ofEpochSecond(seconds);
        assertThat(Totp.step(t)).isEqualTo(Long.parseLong(stepHex, 16));
        assertThat(Totp.code(SEED, Totp.step(t), 8)).isEqualTo(expected);
        // 6 digits: the same truncated value modulo 10^6 (RFC 4226 §5.3), i.e. the last six digits
        assertThat(Totp.code(SEED, Totp.step(t), 6)).isEqualTo(expected.substring(2));
        assertThat(Totp.verify(SEED, expected.substring(2), t)).hasValue(Totp.step(t));
    }

    @Test
    void windowIsOneStepEitherSide() {
        Instant now = Instant.ofEpochSecond(1_111_111_111); // step 0x23523ED
        long t = Totp.step(now);
        assertThat(Totp.verify(SEED, Totp.code(SEED, t - 1, 6), now)).hasValue(t - 1);
        assertThat(Totp.verify(SEED, Totp.code(SEED, t + 1, 6), now)).hasValue(t + 1);
        assertThat(Totp.verify(SEED, Totp.code(SEED, t - 2, 6), now)).isEmpty();
        assertThat(Totp.verify(SEED, Totp.code(SEED, t + 2, 6), now)).isEmpty();
        // with spaces as apps show it; malformed input
        String c = Totp.code(SEED, t, 6);
        assertThat(Totp.verify(SEED, c.substring(0, 3) + " " + c.substring(3), now)).hasValue(t);
        assertThat(Totp.verify(SEED, "12345", now)).isEmpty();
        assertThat(Totp.verify(SEED, "abcdef", now)).isEmpty();
        assertThat(Totp.verify(SEED, null, now)).isEmpty();
        assertThat(Totp.verify("another secret......".getBytes(StandardCharsets.US_ASCII), c, now)).isEmpty();
    }

    @Test
    void base32AndUri() {
        // RFC 4648 §10 test vectors (without padding)
        assertThat(Totp.base32("".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(Totp.base32("foob".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YQ");
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Totp.base32(SEED)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Totp.uri("Sealpost", "a@b.test", SEED)).isEqualTo(
                "otpauth://totp/Sealpost:a%40b.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Sealpost&algorithm=SHA1&digits=6&period=30");
        assertThat(Totp.newSecret()).hasSize(20).isNotEqualTo(Totp.newSecret());
    }
}
