package dev.sealpost.auth.results;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the Authentication-Results parser (untrusted message headers): it never throws,
 * a parsed field survives our own serialisation (flat and folded) unchanged, and our output never
 * contains a bare line break.
 * Seeds: {@code src/test/resources/dev/sealpost/auth/results/AuthenticationResultsFuzzTestInputs/parse/}.
 */
class AuthenticationResultsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        String value = new String(data, StandardCharsets.UTF_8);
        AuthenticationResults.ParseResult r = AuthenticationResults.parse(value);
        AuthenticationResults.authservIdOf(value);
        if (!(r instanceof AuthenticationResults.Parsed p)) return;
        AuthenticationResults ar = p.header();
        check(AuthenticationResults.isOurs(value, ar.authservId()), "not ours: %s", value);
        String flat = ar.value();
        check(flat.indexOf('\r') < 0 && flat.indexOf('\n') < 0, "line break in %s", flat);
        check(AuthenticationResults.parse(flat) instanceof AuthenticationResults.Parsed q && q.header().equals(ar),
                "flat round trip %s -> %s", value, flat);
        String field = ar.toHeaderField();
        check(field.endsWith("\r\n") && !field.substring(0, field.length() - 2).replace("\r\n\t", "").contains("\n")
                && !field.substring(0, field.length() - 2).replace("\r\n\t", "").contains("\r"), "bad folding: %s", field);
        String folded = field.substring(AuthenticationResults.FIELD_NAME.length() + 1, field.length() - 2);
        check(AuthenticationResults.parse(folded) instanceof AuthenticationResults.Parsed q2 && q2.header().equals(ar),
                "folded round trip %s -> %s", value, folded);
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
