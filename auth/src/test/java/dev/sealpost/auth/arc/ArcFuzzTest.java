package dev.sealpost.auth.arc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.auth.AuthMessage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Fuzz targets for the ARC parsers of untrusted input: the three header field parsers and whole
 * messages through the chain validator. None may throw; parsed values keep their invariants.
 * Seeds: {@code src/test/resources/dev/sealpost/auth/arc/ArcFuzzTestInputs/<method>/}.
 */
class ArcFuzzTest {
    private static final ArcTestSupport.TxtResolver DNS = new ArcTestSupport.TxtResolver()
            .put("dummy._domainkey.example.org", "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB");
    private static final ArcVerifier VERIFIER = new ArcVerifier(DNS, Clock.fixed(Instant.parse("2021-01-01T00:00:00Z"), ZoneOffset.UTC));

    static void check(boolean ok, String what, Object... args) {
        if (!ok) throw new AssertionError(what.formatted(args));
    }

    @FuzzTest(maxDuration = "30s")
    void authenticationResults(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        switch (ArcAuthenticationResults.parse(s)) {
            case ArcAuthenticationResults.Parsed(ArcAuthenticationResults a) -> {
                check(a.instance() >= 1 && a.instance() <= 50, "instance %s", a.instance());
                check(!a.payload().isEmpty() && !a.payload().contains("\r\n"), "payload %s", a.payload());
                a.results(); // must not throw
            }
            case ArcAuthenticationResults.Invalid(String reason) -> check(!reason.isEmpty(), "empty reason");
        }
        for (String piece : ArcTags.splitResults(s)) check(!piece.isEmpty() && piece.equals(piece.strip()), "piece '%s'", piece);
    }

    @FuzzTest(maxDuration = "30s")
    void messageSignature(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        switch (ArcMessageSignature.parse(s)) {
            case ArcMessageSignature.Parsed(ArcMessageSignature m) -> {
                check(m.instance() >= 1 && m.instance() <= 50, "instance %s", m.instance());
                check(m.signature().length > 0 && m.bodyHash().length > 0, "empty b/bh");
                check(m.signedHeaders().stream().noneMatch(h -> h.isEmpty() || h.equalsIgnoreCase("arc-seal")), "h= %s", m.signedHeaders());
                check(m.expiration() < 0 || m.timestamp() < 0 || m.expiration() > m.timestamp(), "x<=t");
                check(!m.domain().isEmpty() && m.keyName().endsWith("._domainkey." + m.domain()), "key name %s", m.keyName());
            }
            case ArcMessageSignature.Invalid(String reason) -> check(!reason.isEmpty(), "empty reason");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void seal(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        switch (ArcSeal.parse(s)) {
            case ArcSeal.Parsed(ArcSeal a) -> {
                check(a.instance() >= 1 && a.instance() <= 50, "instance %s", a.instance());
                check(a.signature().length > 0, "empty b");
                check(!a.tags().has("h"), "h= accepted");
                check(!a.domain().isEmpty(), "empty d=");
            }
            case ArcSeal.Invalid(String reason) -> check(!reason.isEmpty(), "empty reason");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void message(byte[] input) {
        AuthMessage msg = AuthMessage.of(input);
        boolean anyArc = msg.headers().stream().anyMatch(ArcChain::isArcField);
        ArcOutcome o = VERIFIER.verify(msg);
        check((o.cv() == ArcResult.NONE) == !anyArc, "none iff no ARC fields: %s", o);
        check(o.instances() >= 0 && o.instances() <= 50, "instances %s", o.instances());
        switch (o.cv()) {
            case PASS -> {
                check(o.reason().isEmpty() && o.sealers().size() == o.instances() && o.authResults().size() == o.instances(), "pass %s", o);
                check(o.oldestPass() >= 0 && o.oldestPass() <= o.instances(), "oldest-pass %s", o.oldestPass());
            }
            case FAIL -> check(!o.reason().isEmpty() && o.oldestPass() == -1, "fail %s", o);
            case NONE -> check(o.instances() == 0, "none %s", o);
        }
    }
}
