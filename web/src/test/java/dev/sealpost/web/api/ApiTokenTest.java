package dev.sealpost.web.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Token text, hashing and parsing. */
class ApiTokenTest {
    @Test
    void generatedTokensHaveThePrefixLengthAndAlphabetAndDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String t = ApiToken.generate();
            assertThat(t).startsWith("spt_").hasSize(47).matches("spt_[A-Za-z0-9_-]{43}");
            assertThat(ApiToken.parse(t)).isPresent();
            seen.add(t);
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void hashIsTheSha256OfTheWholeText() throws Exception {
        String t = "spt_" + "A".repeat(42) + "A";
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(t.getBytes(StandardCharsets.US_ASCII));
        assertThat(ApiToken.hash(t)).isEqualTo(expected);
        assertThat(ApiToken.parse(t)).get().isEqualTo(expected);
        // a known vector: SHA-256("abc")
        assertThat(HexFormat.of().formatHex(ApiToken.hash("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void malformedTokensAreRefusedWithoutALookUp() {
        String good = ApiToken.generate();
        assertThat(ApiToken.parse(null)).isEmpty();
        assertThat(ApiToken.parse("")).isEmpty();
        assertThat(ApiToken.parse(good.substring(1))).isEmpty();             // prefix cut
        assertThat(ApiToken.parse("xpt_" + good.substring(4))).isEmpty();     // wrong prefix
        assertThat(ApiToken.parse(good + "A")).isEmpty();                    // too long
        assertThat(ApiToken.parse(good.substring(0, 46))).isEmpty();          // too short
        assertThat(ApiToken.parse(good.substring(0, 46) + "+")).isEmpty();    // base64, not base64url
        assertThat(ApiToken.parse(good.substring(0, 46) + "=")).isEmpty();    // padding
        assertThat(ApiToken.parse(" " + good.substring(1))).isEmpty();
        // RFC 4648 §3.5: the last character's 2 spare bits must be zero ('B' = 000001 is not canonical)
        assertThat(ApiToken.parse("spt_" + "A".repeat(42) + "B")).isEmpty();
        assertThat(ApiToken.parse("spt_" + "A".repeat(42) + "E")).isPresent();
    }
}
