package dev.sealpost.auth.spf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.james.jspf.impl.SPF;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test against Apache James jSPF 1.0.5 (test scope only): every case of the openspf
 * RFC 7208 suite ({@code shared/conformance/spf-rfc7208}) is evaluated by jSPF, over an in-memory
 * {@link JspfZoneDns} built from the scenario's zone data, and by our {@link SpfVerifier}, over
 * {@link SuiteResolver} with the settings of {@link SpfConformanceTest}. No DNS library or network
 * is involved.
 *
 * <p>jSPF is an RFC 4408 implementation and lightly maintained, so it disagrees with the RFC 7208
 * suite on some cases. The test asserts: (1) our result is accepted by the suite for every case;
 * (2) wherever jSPF's result is accepted by the suite, ours is identical to jSPF's, unless the case
 * is listed in {@link #BOTH_ACCEPTED} (the suite accepts several results and the two pick different
 * ones); (3) every case where jSPF's result is not accepted by the suite is listed, with the reason,
 * in {@link #JSPF_WRONG}, and the lists are exact, so a fixed or a new difference fails the test;
 * (4) the agreement count. A regression in our evaluator shows up as a new disagreement on a case
 * where jSPF agrees with the suite.
 */
class JspfDifferentialTest {
    static final int EXPECTED_CASES = SpfConformanceTest.EXPECTED_CASES;

    /**
     * Cases where jSPF's result is outside the suite's accepted list, and ours is inside (asserted):
     * the difference is jSPF's. Key: scenario description + " / " + test name.
     */
    static final Map<String, String> JSPF_WRONG = Map.ofEntries(
            // RFC 4408 §4.4 SPF RR type (99): jSPF asks for type SPF first and uses it when present;
            // RFC 7208 §3.1 and §14.1 dropped it, checking TXT only (the suite's scenario "Record lookup"
            // and "Selecting records" test exactly this)
            Map.entry("Record lookup / spfonly", "jSPF evaluates the type-SPF record; RFC 7208 looks at TXT only, where there is none: none"),
            Map.entry("Record lookup / spftimeout", "jSPF's type-SPF query times out (temperror); RFC 7208 never asks it and finds the TXT record"),
            Map.entry("Record lookup / txttimeout", "jSPF uses the type-SPF record and never sees the TXT timeout; RFC 7208 asks TXT only: temperror"),
            Map.entry("Record lookup / nospftxttimeout", "jSPF gets a (non-v=spf1) type-SPF answer, so it stops before TXT (none); RFC 7208 sees the TXT timeout"),
            Map.entry("Selecting records / spfoverride", "jSPF prefers the type-SPF record (+all) over the TXT one (-all)"),
            Map.entry("Selecting records / multitxt1", "jSPF takes the single type-SPF record and ignores the two conflicting TXT records (RFC 7208 §4.5: permerror)"),
            Map.entry("Selecting records / multispf2", "jSPF sees two type-SPF records (permerror); RFC 7208 ignores them and uses the single TXT record"),
            // RFC 7208 rules that RFC 4408 left open or did not have
            Map.entry("Processing limits / mx-limit", "jSPF looks up all 11 MX names and the 11th matches (pass); RFC 7208 §4.6.4: more than 10 MX names is a permerror"),
            Map.entry("Processing limits / void-over-limit", "jSPF has no void-lookup limit (new in RFC 7208 §4.6.4), so it ends neutral"),
            Map.entry("EXISTS mechanism syntax / exists-dnserr", "jSPF's ExistsMechanism treats a DNS timeout as no match (fail); RFC 7208 §5 (suite: spec 5/8) and §2.6.6: temperror"),
            Map.entry("PTR mechanism syntax / ptr-case-change", "jSPF compares the validated PTR name with ptr:example.Com case-sensitively; DNS names are case-insensitive (RFC 4343)"));

    /** Cases where the suite accepts both results and jSPF and we pick different members. */
    static final Map<String, String> BOTH_ACCEPTED = Map.ofEntries(
            Map.entry("Macro expansion rules / p-macro-multiple",
                    "%{p} with several validated names: the suite accepts pass and softfail; we pick the subdomain of <domain> (RFC 7208 §7.3 SHOULD), jSPF another name"));

    /** jSPF logs every permerror with a stack trace at WARN and each directive at INFO: quiet it here. */
    private static ch.qos.logback.classic.Level savedLevel;

    @BeforeAll
    static void quietJspf() {
        var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.james.jspf");
        savedLevel = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.ERROR);
    }

    @AfterAll
    static void restoreJspfLogging() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.james.jspf")).setLevel(savedLevel);
    }

    record Case(String scenario, String name, JsonNode test, JsonNode zonedata) {
        String key() {
            return scenario + " / " + name;
        }

        List<String> accepted() {
            List<String> out = new ArrayList<>();
            JsonNode r = test.get("result");
            if (r.isArray()) r.forEach(x -> out.add(x.asText()));
            else out.add(r.asText());
            return out;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(SpfConformanceTest.suiteFile().toFile())) {
            while (it.hasNext()) {
                JsonNode scenario = it.next();
                String description = scenario.get("description").asText();
                JsonNode zone = scenario.get("zonedata");
                scenario.get("tests").properties().forEach(t -> out.add(new Case(description, t.getKey(), t.getValue(), zone)));
            }
        }
        return out;
    }

    static String ours(Case c) {
        InetAddress ip = IpAddresses.parse(c.test().get("host").asText());
        SpfVerifier v = new SpfVerifier(SuiteResolver.fromYaml(c.zonedata()), SpfConformanceTest.CLOCK, SpfConformanceTest.SETTINGS);
        return v.checkMailFrom(ip, c.test().get("mailfrom").asText(), c.test().get("helo").asText()).result().keyword();
    }

    /** jSPF's result word, or "jspf-exception: ..." / "jspf-timeout". */
    static String jspf(Case c, ExecutorService pool) {
        Future<String> f = pool.submit(() -> {
            SPF spf = new SPF(new JspfZoneDns(c.zonedata()));
            return spf.checkSPF(c.test().get("host").asText(), c.test().get("mailfrom").asText(), c.test().get("helo").asText()).getResult();
        });
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return "jspf-exception: " + e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return "jspf-timeout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void suiteAgreesWithJspfExceptForListedCases() throws IOException {
        List<Case> all = cases();
        assertThat(all).hasSize(EXPECTED_CASES);
        List<String> oursRejected = new ArrayList<>();
        List<String> regressions = new ArrayList<>();
        Map<String, String> jspfWrong = new TreeMap<>();
        Map<String, String> bothAccepted = new TreeMap<>();
        int agree = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Case c : all) {
                List<String> accepted = c.accepted();
                String ours = ours(c);
                String theirs = jspf(c, pool);
                String line = "expected " + accepted + ", ours " + ours + ", jSPF " + theirs;
                if (!accepted.contains(ours)) oursRejected.add(c.key() + ": " + line);
                if (ours.equals(theirs)) {
                    agree++;
                } else if (accepted.contains(theirs)) {
                    if (accepted.contains(ours)) bothAccepted.put(c.key(), line);
                    else regressions.add(c.key() + ": " + line);
                } else {
                    jspfWrong.put(c.key(), line);
                }
            }
        }
        System.out.println("jSPF agrees with us on " + agree + " of " + all.size() + " RFC 7208 suite cases");
        jspfWrong.forEach((k, v) -> System.out.println("  jSPF outside the suite: " + k + ": " + v + " (" + JSPF_WRONG.get(k) + ")"));
        bothAccepted.forEach((k, v) -> System.out.println("  both accepted: " + k + ": " + v));

        assertThat(oursRejected).as("our result is in the suite's accepted list for every case").isEmpty();
        assertThat(regressions).as("where jSPF agrees with the suite, we agree with jSPF").isEmpty();
        assertThat(bothAccepted.keySet()).as("cases where the suite accepts both different results").isEqualTo(BOTH_ACCEPTED.keySet());
        assertThat(jspfWrong.keySet()).as("cases where jSPF is outside the suite's accepted list").isEqualTo(JSPF_WRONG.keySet());
        assertThat(agree).isEqualTo(EXPECTED_CASES - JSPF_WRONG.size() - BOTH_ACCEPTED.size()).isEqualTo(191);
    }
}
