package dev.sealpost.auth.arc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.auth.dkim.DkimSigningKey;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ValiMail ARC signing suite ({@code shared/conformance/arc/arc-draft-sign-tests.yml}): each
 * test seals its message in canonical output mode (clock pinned at the test's {@code t}, the
 * scenario's key, {@code sig-headers}, {@code srv-id}) and the three fields must equal the
 * expected ones byte for byte once the expected YAML text is unfolded (its line breaks are the
 * suite's folding: after a {@code ;} they stand for one space, elsewhere, inside base64, for
 * nothing). The chain status is our own {@link ArcVerifier}'s, and must agree with the
 * {@code arc=} result the suite stamped into the message. A test with empty expected fields
 * ({@code no_additional_sig}) must be refused. The sealed message must then validate.
 *
 * <p>{@code unused_tests.yml} (7 tests the suite's authors set aside): see {@link #unusedTests()}.
 */
class ArcSigningSuiteTest {
    static final int EXPECTED_CASES = 17;

    record Case(String file, String name, JsonNode test, JsonNode scenario) {}

    record Produced(Optional<ArcSet> set, String refusal, ArcResult chain) {}

    static List<Case> cases(String file) {
        List<Case> out = new ArrayList<>();
        for (JsonNode scenario : ArcTestSupport.scenarios(file)) {
            scenario.get("tests").properties().forEach(t -> out.add(new Case(file, t.getKey(), t.getValue(), scenario)));
        }
        return out;
    }

    /** The expected YAML block as one line: a break after ';' is a space, any other break (inside base64) nothing. */
    static String unfold(String expected) {
        StringBuilder b = new StringBuilder();
        for (String line : expected.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) continue;
            if (!b.isEmpty() && b.charAt(b.length() - 1) == ';') b.append(' ');
            b.append(l);
        }
        return b.toString();
    }

    static Produced produce(Case c) {
        JsonNode t = c.test();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(t.get("t").asLong()), ZoneOffset.UTC);
        AuthMessage msg = AuthMessage.of(AuthMessage.toCrlf(t.get("message").asText().getBytes(StandardCharsets.UTF_8)));
        ArcTestSupport.TxtResolver dns = ArcTestSupport.resolver(c.scenario());
        ArcResult chain = new ArcVerifier(dns, clock).verify(msg).cv();
        String srvId = t.get("srv-id").asText();
        String results = ArcSealer.consolidateResults(msg, srvId).orElseThrow();
        DkimSigningKey key = DkimSigningKey.of(c.scenario().get("domain").asText(), c.scenario().get("sel").asText(),
                DkimKeys.readPrivateKey(c.scenario().get("privatekey").asText()));
        List<String> headers = Arrays.asList(t.get("sig-headers").asText().strip().split(":"));
        return switch (new ArcSealer(clock).seal(msg, srvId, results, chain, key, ArcSealOptions.canonical(headers))) {
            case ArcSealer.Sealed(ArcSet set) -> new Produced(Optional.of(set), "", chain);
            case ArcSealer.Refused(String why) -> new Produced(Optional.empty(), why, chain);
        };
    }

    /** Null when the case's output matches, else what differs. */
    static String mismatch(Case c) {
        JsonNode t = c.test();
        Produced p = produce(c);
        String wantAs = unfold(t.get("AS").asText());
        if (wantAs.isEmpty()) return p.set().isEmpty() ? null : "expected no set, got " + p.set().get().seal();
        if (p.set().isEmpty()) return "refused: " + p.refusal();
        ArcSet set = p.set().get();
        List<String> diffs = new ArrayList<>();
        compare(diffs, "AAR", unfold(t.get("AAR").asText()), ArcSet.valueOf(set.authenticationResults()));
        compare(diffs, "AMS", unfold(t.get("AMS").asText()), ArcSet.valueOf(set.messageSignature()));
        compare(diffs, "AS", wantAs, ArcSet.valueOf(set.seal()));
        return diffs.isEmpty() ? null : String.join("\n", diffs);
    }

    private static void compare(List<String> diffs, String what, String want, String got) {
        if (!want.equals(got)) diffs.add(what + "\n  want " + want + "\n  got  " + got);
    }

    /** The chain status the suite stamped in the newest A-R of srv-id ({@code arc=...}), if any. */
    static Optional<ArcResult> stamped(Case c) {
        AuthMessage msg = AuthMessage.fromLenient(c.test().get("message").asText().getBytes(StandardCharsets.UTF_8));
        String results = ArcSealer.consolidateResults(msg, c.test().get("srv-id").asText()).orElse("");
        return ArcTags.splitResults(results).stream().filter(r -> r.startsWith("arc=")).findFirst()
                .flatMap(r -> ArcResult.fromTag(r.substring(4).split(" ")[0]));
    }

    @TestFactory
    Stream<DynamicTest> signingSuite() {
        return cases("arc-draft-sign-tests.yml").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            assertThat(mismatch(c)).as(c.name()).isNull();
            Produced p = produce(c);
            stamped(c).ifPresent(s -> assertThat(p.chain()).as("our cv vs the stamped arc= result").isEqualTo(s));
            p.set().ifPresent(set -> {
                // the sealed message validates: pass, or fail when we sealed a failed chain (cv=fail is final)
                byte[] sealed = set.prependTo(AuthMessage.toCrlf(c.test().get("message").asText().getBytes(StandardCharsets.UTF_8)));
                Clock clock = Clock.fixed(Instant.ofEpochSecond(c.test().get("t").asLong()), ZoneOffset.UTC);
                ArcOutcome o = new ArcVerifier(ArcTestSupport.resolver(c.scenario()), clock).verify(AuthMessage.of(sealed));
                assertThat(o.cv()).as(o.reason()).isEqualTo(p.chain() == ArcResult.FAIL ? ArcResult.FAIL : ArcResult.PASS);
                assertThat(o.instances()).isEqualTo(set.instance());
            });
        }));
    }

    @Test
    void allSigningCasesMatch() {
        List<Case> all = cases("arc-draft-sign-tests.yml");
        assertThat(all).hasSize(EXPECTED_CASES);
        List<String> failing = new ArrayList<>();
        for (Case c : all) {
            String m = mismatch(c);
            if (m != null) failing.add(c.name() + ": " + m);
        }
        assertThat(failing).isEmpty();
    }

    /**
     * {@code unused_tests.yml}: {@code ar_merge} matches byte for byte. The other six
     * (header_order, header_dup_ord1/2, sig_header_dup_once/twice, header_non) carry signatures
     * made under an older draft's rules: dkimpy 1.1.4 does not reproduce them either, and our
     * output equals dkimpy's byte for byte ({@link ArcInteropTest}). For those we assert
     * everything but the two {@code b=} values: the AAR, and the AMS and AS tags.
     */
    @Test
    void unusedTests() {
        List<Case> all = cases("unused_tests.yml");
        assertThat(all).hasSize(7);
        List<String> matching = all.stream().filter(c -> mismatch(c) == null).map(Case::name).toList();
        assertThat(matching).containsExactly("ar_merge");
        for (Case c : all) {
            ArcSet set = produce(c).set().orElseThrow();
            assertThat(ArcSet.valueOf(set.authenticationResults())).as(c.name()).isEqualTo(unfold(c.test().get("AAR").asText()));
            assertThat(withoutB(ArcSet.valueOf(set.messageSignature()))).as(c.name()).isEqualTo(withoutB(unfold(c.test().get("AMS").asText())));
            assertThat(withoutB(ArcSet.valueOf(set.seal()))).as(c.name()).isEqualTo(withoutB(unfold(c.test().get("AS").asText())));
        }
    }

    static String withoutB(String canonicalValue) {
        return canonicalValue.replaceAll("(^|; )b=[^;]*", "$1b=");
    }
}
