package dev.sealpost.auth.spf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The openspf RFC 7208 test suite ({@code shared/conformance/spf-rfc7208/rfc7208-tests.yml}),
 * one dynamic test per case, each check_host(host, mailfrom, helo) against the scenario's zone
 * data. A list of results accepts any member; an {@code explanation} must match exactly (the
 * default explanation is set to "DEFAULT", as the suite's drivers do). {@link #allCasesPass()}
 * asserts the pass count so that a regression fails the build.
 */
class SpfConformanceTest {
    static final int EXPECTED_CASES = 203;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    static final SpfSettings SETTINGS = SpfSettings.defaults().withDefaultExplanation("DEFAULT");

    record Case(String scenario, String name, JsonNode test, SuiteResolver resolver) {}

    static Path suiteFile() {
        return SharedSuite.path("spf-rfc7208/rfc7208-tests.yml");
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(suiteFile().toFile())) {
            while (it.hasNext()) {
                JsonNode scenario = it.next();
                SuiteResolver resolver = SuiteResolver.fromYaml(scenario.get("zonedata"));
                String description = scenario.get("description").asText();
                scenario.get("tests").properties().forEach(t -> out.add(new Case(description, t.getKey(), t.getValue(), resolver)));
            }
        }
        return out;
    }

    /** Null when the case passes, else what went wrong. */
    static String run(Case c) {
        JsonNode t = c.test();
        InetAddress ip = IpAddresses.parse(t.get("host").asText());
        if (ip == null) return "unparseable host " + t.get("host");
        SpfVerifier verifier = new SpfVerifier(c.resolver(), CLOCK, SETTINGS);
        SpfOutcome o = verifier.checkMailFrom(ip, t.get("mailfrom").asText(), t.get("helo").asText());
        List<String> expected = new ArrayList<>();
        JsonNode r = t.get("result");
        if (r.isArray()) r.forEach(x -> expected.add(x.asText()));
        else expected.add(r.asText());
        if (!expected.contains(o.result().keyword())) {
            return "expected " + expected + " got " + o.result().keyword() + " (" + o.explanation() + ")";
        }
        if (t.has("explanation") && !t.get("explanation").asText().equals(o.explanation())) {
            return "explanation: expected '" + t.get("explanation").asText() + "' got '" + o.explanation() + "'";
        }
        return null;
    }

    @TestFactory
    Stream<DynamicNode> suite() throws IOException {
        List<DynamicNode> scenarios = new ArrayList<>();
        String current = null;
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            if (!c.scenario().equals(current)) {
                if (current != null) scenarios.add(DynamicContainer.dynamicContainer(current, tests));
                current = c.scenario();
                tests = new ArrayList<>();
            }
            tests.add(DynamicTest.dynamicTest(c.name() + " (" + c.test().path("spec").asText() + ")", () -> {
                String failure = run(c);
                if (failure != null) fail(c.name() + ": " + failure);
            }));
        }
        if (current != null) scenarios.add(DynamicContainer.dynamicContainer(current, tests));
        return scenarios.stream();
    }

    @Test
    void allCasesPass() throws IOException {
        List<Case> all = cases();
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (Case c : all) {
            String f = run(c);
            if (f == null) passed++;
            else failures.add(c.name() + ": " + f);
        }
        assertThat(all).hasSize(EXPECTED_CASES);
        assertThat(failures).isEmpty();
        assertThat(passed).isEqualTo(EXPECTED_CASES);
    }
}
