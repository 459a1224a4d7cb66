package dev.sealpost.lists.bounce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 115 real bounces of {@code shared/conformance/bounces-flufl} (see its SOURCE.md) against
 * Mailman's detector flufl.bounce ({@code expected.json}: permanent and temporary addresses).
 *
 * <p>RFC 3464 reports (top-level {@code multipart/report; report-type=delivery-status}) must match
 * exactly, every one. The rest are vendor and ad-hoc formats where flufl.bounce is a heuristic
 * oracle, not the truth: the number we match exactly is asserted, and each file we do not match is
 * listed below with the reason.
 */
class FluflBounceCorpusTest {
    static final Path SUITE = SharedSuite.path("bounces-flufl");
    static final BounceParser PARSER = new BounceParser();

    /** Heuristic-format files where our answer differs from flufl.bounce's, and why. */
    static final Map<String, String> KNOWN_MISMATCHES = Map.of(
            "aol_01.txt", "bare screen name: the report names 'screenname' without a domain; flufl appends @aol.com, we take no address without a domain",
            "yale_01.txt", "bare local part: 'userx  No matches to nameserver query'; flufl builds the addresses from the reporting hosts",
            "microsoft_01.txt", "oracle artefact: flufl returns the X.400 fragment 'c=US;a='; we take the SMTP address inside it (dda:SMTP=userx@example.COM)",
            "microsoft_04.txt", "oracle artefact: as microsoft_01 (flufl 'c=US;a=', we userx@example.COM)");

    static JsonNode expected;
    static final Map<String, Boolean> RFC3464 = new TreeMap<>();
    static final Map<String, Boolean> HEURISTIC = new TreeMap<>();
    static final List<String> DIFFERENCES = new ArrayList<>();

    @BeforeAll
    static void runAll() throws IOException {
        expected = new ObjectMapper().readTree(SUITE.resolve("expected.json").toFile());
        for (var it = expected.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode e = expected.get(name);
            byte[] mail = Files.readAllBytes(SUITE.resolve("data").resolve(name));
            Bounce b = PARSER.parse(mail);
            boolean match = strings(e.get("permanent")).equals(new TreeSet<>(b.permanent()))
                    && strings(e.get("temporary")).equals(new TreeSet<>(b.temporary()));
            if (!match) {
                DIFFERENCES.add(name + ": got permanent " + b.permanent() + " temporary " + b.temporary() + " (" + b.format()
                        + "), flufl permanent " + e.get("permanent") + " temporary " + e.get("temporary"));
            }
            var root = MessageStructure.parse(mail).root();
            boolean report = root.mediaType().equals("multipart/report") && "delivery-status".equalsIgnoreCase(root.param("report-type"));
            (report ? RFC3464 : HEURISTIC).put(name, match);
        }
    }

    static TreeSet<String> strings(JsonNode n) {
        TreeSet<String> out = new TreeSet<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void theWholeCorpusIsRead() {
        assertThat(RFC3464.size() + HEURISTIC.size()).isEqualTo(115);
    }

    @Test
    void everyRfc3464ReportMatchesExactly() {
        assertThat(RFC3464).hasSize(14);
        assertThat(RFC3464.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey))
                .as("RFC 3464 reports that differ: %s", DIFFERENCES).isEmpty();
    }

    @Test
    void heuristicFormatsMatchTheAssertedCount() {
        long exact = HEURISTIC.values().stream().filter(v -> v).count();
        List<String> missed = HEURISTIC.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        assertThat(missed).as("differences: %s", DIFFERENCES).containsExactlyInAnyOrderElementsOf(KNOWN_MISMATCHES.keySet());
        assertThat(exact).isEqualTo(97);
        assertThat(HEURISTIC).hasSize(101);
    }

    @Test
    void formatsAreNamedForTheMainFamilies() throws IOException {
        assertThat(format("postfix_01.txt")).isEqualTo(Bounce.Format.POSTFIX);
        assertThat(format("qmail_01.txt")).isEqualTo(Bounce.Format.QMAIL);
        assertThat(format("exim_01.txt")).isEqualTo(Bounce.Format.EXIM);
        assertThat(format("sendmail_01.txt")).isEqualTo(Bounce.Format.SENDMAIL);
        assertThat(format("microsoft_02.txt")).isEqualTo(Bounce.Format.MICROSOFT);
        assertThat(format("yahoo_01.txt")).isEqualTo(Bounce.Format.YAHOO);
        assertThat(format("smtp32_01.txt")).isEqualTo(Bounce.Format.SMTP32);
        assertThat(format("dsn_01.txt")).isEqualTo(Bounce.Format.DSN);
        assertThat(format("dumbass_01.txt")).isEqualTo(Bounce.Format.NONE);
    }

    @Test
    void dsnFieldsAreKept() throws IOException {
        Bounce b = PARSER.parse(Files.readAllBytes(SUITE.resolve("data/dsn_17.txt")));
        // Original-Recipient wins over Final-Recipient (the address we sent to)
        assertThat(b.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("userx@example.fi");
            assertThat(r.kind()).isEqualTo(Bounce.Kind.TEMPORARY);
            assertThat(r.status()).startsWith("4.");
        });
    }

    static Bounce.Format format(String name) throws IOException {
        return PARSER.parse(Files.readAllBytes(SUITE.resolve("data").resolve(name))).format();
    }
}
