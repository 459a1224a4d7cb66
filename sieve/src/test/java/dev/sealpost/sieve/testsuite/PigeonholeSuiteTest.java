package dev.sealpost.sieve.testsuite;

import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Runs the tier-A files of Dovecot Pigeonhole's test suite (shared/conformance/sieve/SOURCE.md)
 * unchanged through {@link DovecotTestsuite}. The blocks listed in {@code pigeonhole-expected.txt}
 * must pass (a block that stops passing fails the build); the files under {@code failures/} must
 * compile or fail cleanly, without an exception or a hang. Prints a summary.
 * Regenerate the list with {@code -Dsieve.pigeonhole.record=true} after a real improvement.
 */
class PigeonholeSuiteTest {
    /** Tier A (SOURCE.md), as paths under tests/ (a directory means every .svtest in it). */
    static final List<String> TIER_A = List.of(
            "testsuite.svtest", "control-if.svtest", "control-stop.svtest", "test-allof.svtest", "test-anyof.svtest",
            "test-exists.svtest", "test-size.svtest", "lexer.svtest", "test-address.svtest.in",
            "match-types", "comparators", "extensions/encoded-character.svtest", "extensions/envelope.svtest",
            "extensions/variables", "extensions/relational", "extensions/subaddress", "extensions/body",
            "extensions/imap4flags", "extensions/reject", "extensions/mailbox", "extensions/spamvirustest",
            "extensions/vacation", "extensions/date", "extensions/index", "extensions/ihave", "extensions/include",
            "execute/actions.svtest", "execute/smtp.svtest", "execute/mailstore.svtest", "execute/address-normalize.svtest");

    /** Tier B files of the extensions this module implements (SOURCE.md), run and recorded the same way. */
    static final List<String> TIER_B = List.of(
            "extensions/editheader", "extensions/enotify", "extensions/environment", "extensions/duplicate",
            "extensions/special-use", "extensions/regex");

    static List<Path> files(Path tests) throws IOException {
        return files(tests, TIER_A);
    }

    static List<Path> files(Path tests, List<String> tier) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String t : tier) {
            Path p = tests.resolve(t);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".svtest")).sorted().forEach(out::add);
                }
            } else {
                assertThat(p).as("tier-A file in the shared suite").exists();
                out.add(p);
            }
        }
        return out;
    }

    static String text(Path p) throws IOException {
        String s = Files.readString(p, StandardCharsets.UTF_8);
        // SOURCE.md: without UTF-8 mailbox support, a line marked #UTF8# is removed
        if (p.toString().endsWith(".in")) s = s.replaceAll("(?m)^#UTF8#.*$", "");
        return s;
    }

    @Test
    void tierAFilesPassTheRecordedBlocks() throws IOException {
        suite("A", TIER_A, "pigeonhole-expected.txt", "pigeonhole-failing.txt");
    }

    @Test
    void tierBFilesOfTheImplementedExtensionsPassTheRecordedBlocks() throws IOException {
        suite("B", TIER_B, "pigeonhole-expected-b.txt", "pigeonhole-failing-b.txt");
    }

    /**
     * Runs a tier; the blocks in {@code expectedName} must pass and exactly the blocks in
     * {@code failingName} (each with a reason category) may fail, so the counts stay honest.
     */
    private void suite(String tier, List<String> which, String expectedName, String failingName) throws IOException {
        Path tests = SharedSuite.path("sieve/pigeonhole").resolve("tests");
        Map<String, Boolean> all = new TreeMap<>();
        TreeSet<String> failing = new TreeSet<>();
        int passed = 0, failed = 0, filesRun = 0, filesNotCompiling = 0;
        StringBuilder perFile = new StringBuilder();
        for (Path f : files(tests, which)) {
            String rel = tests.relativize(f).toString().replace('\\', '/');
            String src = text(f);
            DovecotTestsuite.FileResult r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> new DovecotTestsuite(f.getParent()).runFile(src), rel);
            filesRun++;
            int p = 0, n = 0;
            for (var e : r.blocks().entrySet()) {
                all.put(rel + "\t" + e.getKey(), e.getValue());
                if (e.getValue()) p++;
                else {
                    n++;
                    failing.add(rel + "\t" + e.getKey() + "\t" + category(r.reasons().getOrDefault(e.getKey(), "")));
                }
            }
            int total = blockCount(src);
            if (total - p - n > 0) {
                // blocks that never ran: the file did not compile, or a run-time error ended it
                String why = r.compileErrors().isEmpty() ? "a block name used twice in the file is counted once"
                        : r.compileErrors().getFirst().message();
                failing.add(rel + "\t(" + (total - p - n) + " blocks not run)\t" + category(why) + ": " + why);
            }
            n = Math.max(n, total - p);
            if (r.blocks().isEmpty() && !r.compileErrors().isEmpty()) filesNotCompiling++;
            passed += p;
            failed += n;
            perFile.append(String.format("  %-48s %3d/%-3d%s%n", rel, p, p + n,
                    r.compileErrors().isEmpty() ? "" : "  (" + r.compileErrors().getFirst() + ")"));
        }
        System.out.print("Pigeonhole tier " + tier + " per file (passed/blocks):\n" + perFile);
        System.out.printf("Pigeonhole tier %s: %d files, %d blocks passed, %d failed (%d files do not compile)%n",
                tier, filesRun, passed, failed, filesNotCompiling);

        TreeSet<String> passing = new TreeSet<>();
        all.forEach((k, v) -> { if (v) passing.add(k); });
        if (Boolean.getBoolean("sieve.pigeonhole.record")) {
            Path dir = Path.of("src/test/resources/dev/sealpost/sieve/testsuite");
            Files.writeString(dir.resolve(expectedName), String.join("\n", passing) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(failingName), "# file\tblock\tcategory: reason (generated with -Dsieve.pigeonhole.record=true)\n"
                    + String.join("\n", failing) + "\n", StandardCharsets.UTF_8);
        }
        List<String> expected = resource(expectedName);
        assertThat(passing).as("blocks that passed before must still pass").containsAll(expected);
        TreeSet<String> newly = new TreeSet<>(passing);
        expected.forEach(newly::remove);
        if (!newly.isEmpty()) System.out.println("Newly passing (add to " + expectedName + "): " + newly);
        // every failure is listed with its category; the list names no block that passes
        List<String> listed = resource(failingName).stream().filter(l -> !l.startsWith("#")).toList();
        TreeSet<String> listedKeys = new TreeSet<>();
        for (String l : listed) listedKeys.add(l.substring(0, l.lastIndexOf('\t')));
        TreeSet<String> failingKeys = new TreeSet<>();
        for (String l : failing) failingKeys.add(l.substring(0, l.lastIndexOf('\t')));
        assertThat(listedKeys).as("failing blocks listed in %s", failingName).containsAll(failingKeys);
        assertThat(listed).allMatch(l -> l.split("\t").length == 3, "file, block, category");
        assertThat(passing).as("tier %s blocks passing", tier).hasSameSizeAs(expected);
    }

    private List<String> resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** A failure's reason category, from its message. */
    static String category(String reason) {
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        String c;
        if (r.contains("unknown extension") || r.contains("unknown test") || r.contains("unknown command")) c = "not-implemented";
        else if (r.contains("error") && (r.contains("number") || r.contains("count") || r.contains("reported") || r.contains("should have failed")))
            c = "error-reporting (tier C: Pigeonhole's error counts and texts)";
        else if (r.contains("envelope sender") || r.contains("mail loop") || r.contains("configured") || r.contains("envelope recipient"))
            c = "dovecot-setting (behaviour chosen by a Pigeonhole setting we do not model)";
        else c = "behaviour";
        return c + ": " + reason.replace('\t', ' ').replace('\n', ' ');
    }

    static int blockCount(String src) {
        return (int) src.lines().filter(l -> l.matches("^test\\s+\".*")).count();
    }

    @Test
    void failuresDirectoryCompilesOrFailsCleanly() throws IOException {
        Path dir = SharedSuite.path("sieve/pigeonhole").resolve("tests/failures");
        List<Path> fs;
        try (Stream<Path> s = Files.list(dir)) {
            fs = s.filter(f -> f.toString().endsWith(".svtest")).sorted().toList();
        }
        assertThat(fs).hasSize(5);
        for (Path f : fs) {
            String src = text(f);
            DovecotTestsuite.FileResult r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> new DovecotTestsuite(dir).runFile(src), f.getFileName().toString());
            assertThat(r).isNotNull();
        }
        System.out.println("Pigeonhole failures/: " + fs.size() + " files compiled or failed cleanly");
    }
}
