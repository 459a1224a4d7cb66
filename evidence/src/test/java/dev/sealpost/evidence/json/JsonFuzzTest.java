package dev.sealpost.evidence.json;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the strict parser (receipts are untrusted): it never throws, and whatever it
 * accepts the canonical writer can write (or refuses by a named rule, for numbers beyond a
 * double), and the canonical form parses back to the same canonical form. Seeds:
 * {@code src/test/resources/dev/sealpost/evidence/json/JsonFuzzTestInputs/parse/}.
 */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (!(JsonParser.parse(text) instanceof JsonParser.Parsed p)) return;
        String c;
        try {
            c = CanonicalJson.string(p.value());
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("2^53") || m.contains("NaN")) return;   // numbers no double holds
            throw e;
        }
        if (!(JsonParser.parse(c) instanceof JsonParser.Parsed again)) throw new AssertionError("canonical form does not parse: " + c);
        if (!CanonicalJson.string(again.value()).equals(c)) throw new AssertionError("canonical form is not a fixed point: " + c);
    }
}
