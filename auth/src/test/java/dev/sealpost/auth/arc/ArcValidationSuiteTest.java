package dev.sealpost.auth.arc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sealpost.auth.AuthMessage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ValiMail ARC validation suite ({@code shared/conformance/arc/arc-draft-validation-tests.yml}):
 * every test's expected {@code cv} (an empty one means fail, see SOURCE.md), with the scenario's
 * TXT records as the DNS and the clock pinned after every {@code t=}. {@link #allCasesPass()}
 * asserts the count so that a regression fails the build.
 */
class ArcValidationSuiteTest {
    static final int EXPECTED_CASES = 171;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2021-01-01T00:00:00Z"), ZoneOffset.UTC);

    record Case(String scenario, String name, String message, ArcResult expected, ArcTestSupport.TxtResolver resolver) {}

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (JsonNode scenario : ArcTestSupport.scenarios("arc-draft-validation-tests.yml")) {
            ArcTestSupport.TxtResolver resolver = ArcTestSupport.resolver(scenario);
            String description = scenario.get("description").asText();
            scenario.get("tests").properties().forEach(t -> {
                JsonNode cv = t.getValue().get("cv");
                String word = cv == null || cv.isNull() ? "" : cv.asText().strip().toLowerCase(Locale.ROOT);
                ArcResult expected = word.isEmpty() ? ArcResult.FAIL : ArcResult.fromTag(word).orElseThrow();
                out.add(new Case(description, t.getKey(), t.getValue().get("message").asText(), expected, resolver));
            });
        }
        return out;
    }

    static ArcOutcome run(Case c) {
        AuthMessage msg = AuthMessage.of(AuthMessage.toCrlf(c.message().getBytes(StandardCharsets.UTF_8)));
        return new ArcVerifier(c.resolver(), CLOCK).verify(msg);
    }

    @TestFactory
    Stream<DynamicTest> suite() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.scenario() + ": " + c.name(), () -> {
            ArcOutcome o = run(c);
            assertThat(o.cv()).as("%s: %s", c.name(), o.reason()).isEqualTo(c.expected());
        }));
    }

    @Test
    void allCasesPass() {
        List<Case> all = cases();
        assertThat(all).hasSize(EXPECTED_CASES);
        List<String> failing = new ArrayList<>();
        for (Case c : all) {
            ArcOutcome o = run(c);
            if (o.cv() != c.expected()) failing.add(c.name() + " expected " + c.expected() + " got " + o.cv() + " (" + o.reason() + ")");
        }
        assertThat(failing).isEmpty();
        assertThat(all.size() - failing.size()).isEqualTo(EXPECTED_CASES);
    }

    @Test
    void passingChainsReportTheirSealersAndResults() {
        Case c = cases().stream().filter(x -> x.name().equals("cv_pass_i3_1")).findFirst().orElseThrow();
        ArcOutcome o = run(c);
        assertThat(o.cv()).isEqualTo(ArcResult.PASS);
        assertThat(o.instances()).isEqualTo(3);
        assertThat(o.sealers()).hasSize(3).allMatch(d -> d.equals("example.org"));
        assertThat(o.newestSealer()).isEqualTo("example.org");
        assertThat(o.authResults()).hasSize(3).allMatch(r -> r.startsWith("lists.example.org;"));
        assertThat(o.oldestPass()).isZero();
        assertThat(o.reason()).isEmpty();
    }

    @Test
    void oldestPassNamesTheFirstAmsThatStillValidates() {
        // i=2 where the From field changed after hop 1: AMS(1) breaks, the chain still passes
        Case c = cases().stream().filter(x -> x.name().equals("cv_pass_i2_1_ams1_invalid")).findFirst().orElseThrow();
        ArcOutcome o = run(c);
        assertThat(o.cv()).isEqualTo(ArcResult.PASS);
        assertThat(o.oldestPass()).isEqualTo(2);
        assertThat(o.toMethodResult("192.0.2.1").property("header", "oldest-pass")).contains("2");
        assertThat(o.toMethodResult("192.0.2.1").property("smtp", "remote-ip")).contains("192.0.2.1");
    }

    @Test
    void failuresCarryAReason() {
        for (Case c : cases()) {
            ArcOutcome o = run(c);
            if (o.cv() == ArcResult.FAIL) assertThat(o.reason()).as(c.name()).isNotBlank();
            if (o.cv() != ArcResult.PASS) assertThat(o.oldestPass()).as(c.name()).isEqualTo(-1);
        }
    }
}
