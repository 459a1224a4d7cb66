package dev.sealpost.evidence.json;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The strict parser: RFC 8259 grammar, RFC 7493 restrictions, failures as values. */
class JsonParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "+1", "tru", "nul", "\"abc",
            "\"\\x\"", "\"\\u12G4\"", "\"a\u0001\"", "{\"a\":1,\"a\":2}", "\"\\ud800\"", "\"\\udc00\\ud800\"",
            "[1] x", "[1e99999999999]", "{a:1}", "'a'", "[1 2]", "{\"a\" 1}", "NaN", "Infinity", "\u00a0[]"})
    void refuses(String text) {
        JsonParser.Result r = JsonParser.parse(text);
        assertThat(r).as(text).isInstanceOf(JsonParser.Failed.class);
        assertThat(((JsonParser.Failed) r).reason()).isNotBlank();
    }

    @Test
    void refusesDeepNesting() {
        assertThat(JsonParser.parse("[".repeat(65) + "]".repeat(65))).isInstanceOf(JsonParser.Failed.class);
        assertThat(JsonParser.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(JsonParser.Parsed.class);
    }

    @Test
    void readsValues() {
        Object v = JsonParser.parseOrThrow(" {\"a\" : [1, -0, 18446744073709551615, 1.5e3, \"\\ud83d\\ude00\\n\", true, false, null], \"b\":{}}\r\n");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertThat(a.get(0)).isEqualTo(1L);
        assertThat(a.get(1)).isEqualTo(0L);
        assertThat(a.get(2)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(((java.math.BigDecimal) a.get(3)).doubleValue()).isEqualTo(1500.0);
        assertThat(a.get(4)).isEqualTo("\ud83d\ude00\n");
        assertThat(List.<Object>copyOf(a.subList(5, 8))).containsExactly(true, false, Json.NULL);
        assertThat((Map<?, ?>) m.get("b")).isEmpty();
    }

    @Test
    void failureNamesTheOffset() {
        JsonParser.Failed f = (JsonParser.Failed) JsonParser.parse("{\"a\":1,\"a\":2}");
        assertThat(f.offset()).isEqualTo(7);
        assertThat(f.reason()).contains("duplicate");
    }
}
