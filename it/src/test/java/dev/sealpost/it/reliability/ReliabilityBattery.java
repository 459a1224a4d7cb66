package dev.sealpost.it.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reliability battery behind {@code make reliability-quick} and {@code make reliability}:
 * not part of {@code make test} (its name does not match surefire's patterns, and it runs only
 * with -Dreliability.mode=quick|full). It writes its report to {@code -Dreliability.report}
 * (default target/reliability/report.txt), ending with the "reliability:" summary line.
 */
class ReliabilityBattery {
    @Test
    void battery() throws Exception {
        String mode = System.getProperty("reliability.mode", "");
        assumeTrue(mode.equals("quick") || mode.equals("full"), "run with -Dreliability.mode=quick|full");
        boolean full = mode.equals("full");
        String only = System.getProperty("reliability.only", "durability,hostile,faults");
        Path report = Path.of(System.getProperty("reliability.report", "target/reliability/report.txt")).toAbsolutePath();
        Path work = Files.createTempDirectory("sealpost-reliability-");
        Report r = new Report();
        long t0 = System.nanoTime();
        try {
            if (only.contains("durability")) {
                DurabilityRun d = new DurabilityRun(r, work.resolve("durability"));
                try {
                    d.run(full ? Duration.ofMinutes(10) : Duration.ofSeconds(80), full ? 3 : 4, full ? 10 : 8, full ? 120 : 45);
                } catch (Exception e) {
                    r.error("durability run aborted: " + e);
                } finally {
                    d.close();
                }
            }
            if (only.contains("hostile")) {
                try (HostileClients h = new HostileClients(r, work.resolve("hostile"), full)) {
                    h.run();
                } catch (Exception e) {
                    r.error("hostile-client run aborted: " + e);
                }
            }
            if (only.contains("faults")) {
                try (Faults f = new Faults(r, work.resolve("faults"), full)) {
                    f.run();
                } catch (Exception e) {
                    r.error("fault run aborted: " + e);
                }
            }
        } finally {
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            r.write(report, mode, seconds);
            System.out.println(r.render(mode, seconds));
            if (!List.of("1", "true").contains(System.getProperty("reliability.keep", ""))) deleteTree(work);
        }
        assertThat(r.lost.get()).as("acknowledged messages lost").isZero();
        assertThat(r.errors).as("unexpected errors").isEmpty();
    }

    static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (Exception ignored) {
            // a temp dir we could not remove (e.g. still mounted): left for the OS
        }
    }
}
