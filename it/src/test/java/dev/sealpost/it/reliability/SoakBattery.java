package dev.sealpost.it.reliability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The soak behind {@code scripts/soak.sh SECONDS}: the server as a child JVM under the
 * durability run's mixed load (SMTP in x3, submission x1 to a fake remote MX, IMAP IDLE x2, POP3
 * x1), paced, without faults, for {@code -Dsoak.seconds}. Every {@code -Dsoak.sample} seconds it
 * records the server's heap (jstat: young + old used, old used), resident memory, JVM threads
 * (carrier and platform threads: /proc), open file descriptors, the data directory's size, the
 * messages acknowledged in that window and their end-of-data-to-250 latency percentiles. At the
 * end it counts every acknowledged message at each recipient (accepted == stored) and reports
 * the error lines of the server log. Like ReliabilityBattery, not part of {@code make test}.
 */
class SoakBattery {
    record Sample(long second, long heapUsedKb, long oldUsedKb, long rssKb, int threads, int fds, long dataKb,
                  int acked, long p50Ms, long p99Ms, long maxMs) {}

    @Test
    void soak() throws Exception {
        long seconds = Long.getLong("soak.seconds", 0);
        assumeTrue(seconds > 0, "run with -Dsoak.seconds=N (scripts/soak.sh)");
        long every = Long.getLong("soak.sample", 15);
        long pause = Long.getLong("soak.pause_ms", 20);
        Path out = Path.of(System.getProperty("soak.report", "target/soak/report.txt")).toAbsolutePath();
        Path work = Files.createTempDirectory("sealpost-soak-");
        Report r = new Report();
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        Instant started = Instant.now();
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).strip();
        DurabilityRun d = new DurabilityRun(r, work.resolve("soak"));
        int[] lastAcked = {0};
        try {
            d.soak(Duration.ofSeconds(seconds), pause, Duration.ofSeconds(every), second -> {
                try {
                    samples.add(sample(d, second, lastAcked));
                } catch (Exception e) {
                    r.note("sample at " + second + " s failed: " + e);
                }
            }, 120);
        } catch (Exception e) {
            r.error("soak aborted: " + e);
        } finally {
            d.close();
        }
        String text = render(r, samples, seconds, every, pause, started, loadAtStart);
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
        System.out.println(text);
        if (!List.of("1", "true").contains(System.getProperty("soak.keep", ""))) ReliabilityBattery.deleteTree(work);
        assertThat(r.lost.get()).as("acknowledged messages lost").isZero();
        assertThat(r.errors).as("unexpected errors").isEmpty();
    }

    private static Sample sample(DurabilityRun d, long second, int[] lastAcked) throws Exception {
        ServerProcess srv = d.server();
        long pid = srv.pid();
        long rss = 0;
        int threads = 0;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("\\D", ""));
            if (l.startsWith("Threads:")) threads = Integer.parseInt(l.replaceAll("\\D", ""));
        }
        int fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = (int) s.count();
        }
        long[] heap = jstat(pid);
        long data;
        try (Stream<Path> s = Files.walk(srv.data)) {
            data = s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file removed while walking
                }
            }).sum() / 1024;
        }
        int acked = d.acknowledged();
        int window = acked - lastAcked[0];
        lastAcked[0] = acked;
        List<Long> lat = new ArrayList<>(d.drainLatencies());
        Collections.sort(lat);
        return new Sample(second, heap[0], heap[1], rss, threads, fds, data, window,
                pct(lat, 50), pct(lat, 99), lat.isEmpty() ? 0 : lat.getLast() / 1_000_000);
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return 0;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1_000_000;
    }

    /** jstat -gc: heap used (S0U + S1U + EU + OU) and old generation used, in KiB. */
    private static long[] jstat(long pid) throws Exception {
        String jstat = Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
        Process p = new ProcessBuilder(jstat, "-gc", Long.toString(pid)).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).strip().lines().toList();
        p.waitFor();
        if (lines.size() < 2) return new long[] {-1, -1};
        List<String> head = List.of(lines.get(0).trim().split("\\s+"));
        String[] v = lines.get(1).trim().split("\\s+");
        double used = 0;
        for (String c : List.of("S0U", "S1U", "EU", "OU")) used += Double.parseDouble(v[head.indexOf(c)]);
        return new long[] {(long) used, (long) Double.parseDouble(v[head.indexOf("OU")])};
    }

    private static String render(Report r, List<Sample> samples, long seconds, long every, long pause, Instant started, String load)
            throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Soak, ").append(seconds).append(" s from ").append(started).append(" (sample every ").append(every)
                .append(" s, SMTP clients pause ").append(pause).append(" ms between messages; load at start ").append(load)
                .append(", at end ").append(Files.readString(Path.of("/proc/loadavg")).strip()).append(")\n\n");
        b.append("| t (s) | heap used MiB | old gen MiB | RSS MiB | threads | fds | data MiB | acked in window | 250 latency p50 / p99 / max ms |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Sample s : samples) {
            b.append(String.format("| %d | %.1f | %.1f | %.1f | %d | %d | %.1f | %d | %d / %d / %d |%n", s.second(), s.heapUsedKb() / 1024.0,
                    s.oldUsedKb() / 1024.0, s.rssKb() / 1024.0, s.threads(), s.fds(), s.dataKb() / 1024.0, s.acked(), s.p50Ms(), s.p99Ms(), s.maxMs()));
        }
        b.append('\n');
        for (Report.Row row : r.rows) b.append("- ").append(row.area()).append(" / ").append(row.check()).append(": ")
                .append(row.status()).append(": ").append(row.observed()).append('\n');
        for (String n : r.notes) b.append("- note: ").append(n).append('\n');
        for (String e : r.errors) b.append("- ERROR: ").append(e).append('\n');
        b.append("\nsoak: seconds ").append(seconds).append(", sent ").append(r.sent.get()).append(", acknowledged ")
                .append(r.acknowledged.get()).append(", stored ").append(r.delivered.get()).append(", lost ").append(r.lost.get())
                .append(", duplicated ").append(r.duplicated.get()).append(", errors ").append(r.errors.size()).append('\n');
        return b.toString();
    }
}
