package dev.sealpost.evidence.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8785's own examples (§3.2.2, §3.2.3, Appendix B) and round trips through the strict parser. */
class CanonicalJsonTest {

    @Test
    void rfc8785Section322Example() {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        String want = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assertThat(CanonicalJson.string(JsonParser.parseOrThrow(input))).isEqualTo(want);
    }

    @Test
    void rfc8785Section323SortsByUtf16CodeUnits() {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) JsonParser.parseOrThrow(input);
        String out = CanonicalJson.string(m);
        List<String> order = List.of("Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
                "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh");
        int last = -1;
        for (String v : order) {
            int at = out.indexOf(v);
            assertThat(at).as(v).isGreaterThan(last);
            last = at;
        }
        assertThat(out).startsWith("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"");
        // §3.2.4: UTF-8 output; the emoji name is 4 bytes.
        assertThat(new String(CanonicalJson.bytes(m), StandardCharsets.UTF_8)).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2",
    })
    void rfc8785AppendixBNumbers(String ieeeHex, String want) {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));
        assertThat(CanonicalJson.number(d)).isEqualTo(want);
    }

    @Test
    void nanAndInfinityAndLoneSurrogatesAndBigIntegersAreRefused() {
        assertThatThrownBy(() -> CanonicalJson.number(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.number(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.string("a\ud800b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.string((1L << 53) + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.string(1L << 53)).isEqualTo("9007199254740992");   // the form of a double
        assertThat(CanonicalJson.string(new java.math.BigInteger("55550000000000010000"))).isEqualTo("55550000000000010000");
        assertThatThrownBy(() -> CanonicalJson.string(new java.math.BigInteger("1000000000000000000000"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.string(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.string((1L << 53) - 1)).isEqualTo("9007199254740991");
    }

    @Test
    void controlCharactersUseLowerCaseHexAndSlashAndDelStayLiteral() {
        assertThat(CanonicalJson.string("\u0001\u001f/\u007f\t")).isEqualTo("\"\\u0001\\u001f/\u007f\\t\"");
    }

    @Test
    void canonicalFormIsAFixedPointOfParseThenWrite() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of(1L, -2L, "x\"y", Json.NULL, true));
        m.put("a", Map.of("é", "ü", "e", 0L));
        String c = CanonicalJson.string(m);
        assertThat(c).isEqualTo("{\"a\":{\"e\":0,\"é\":\"ü\"},\"z\":[1,-2,\"x\\\"y\",null,true]}");
        assertThat(CanonicalJson.string(JsonParser.parseOrThrow(c))).isEqualTo(c);
    }
}
