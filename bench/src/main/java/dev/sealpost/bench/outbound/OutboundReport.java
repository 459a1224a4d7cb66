package dev.sealpost.bench.outbound;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the {@code RESULT} lines of {@link OutboundLoad} runs (one tab-separated file) into a
 * Markdown table: per label, size and per-domain concurrency the median of the repeated runs
 * (min–max for the delivered rate).
 *
 * <pre>OutboundReport RESULTS.tsv</pre>
 */
public final class OutboundReport {
    private OutboundReport() {}

    /** One RESULT line of {@link OutboundLoad}; "-" is NaN. */
    record Run(String label, int size, int concurrency, int messages, int delivered, double e2eRate, double injectRate,
               int connections, double reuse, int maxPerConnection, int maxSimultaneous, double firstSeconds,
               double serverCpu, double machineCpu, double clientCpu, int extra, double drainRate, int duplicates) {
        static Run parse(String line) {
            String[] f = line.split("\t");
            if (f.length < 21 || !f[0].equals("RESULT")) throw new IllegalArgumentException("not an outbound RESULT line: " + line);
            return new Run(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[6]),
                    num(f[8]), num(f[10]), Integer.parseInt(f[11]), num(f[12]), Integer.parseInt(f[13]), Integer.parseInt(f[14]),
                    num(f[15]), num(f[16]), num(f[17]), num(f[18]), Integer.parseInt(f[19]), num(f[20]), f.length > 21 ? Integer.parseInt(f[21]) : 0);
        }

        private static double num(String s) {
            return s.equals("-") ? Double.NaN : Double.parseDouble(s);
        }
    }

    record Key(String label, int size, int concurrency) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: OutboundReport RESULTS.tsv");
            System.exit(2);
        }
        List<Run> runs = Files.readAllLines(Path.of(args[0])).stream().filter(l -> l.startsWith("RESULT\t")).map(Run::parse).toList();
        System.out.print(table(runs));
    }

    static String table(List<Run> runs) {
        Map<Key, List<Run>> g = new LinkedHashMap<>();
        runs.stream().sorted(Comparator.comparing(Run::label).thenComparingInt(Run::size).thenComparingInt(Run::concurrency))
                .forEach(r -> g.computeIfAbsent(new Key(r.label(), r.size(), r.concurrency()), k -> new ArrayList<>()).add(r));
        StringBuilder sb = new StringBuilder();
        sb.append("| label | size | per-domain concurrency | N | runs | injected msg/s | outbound msg/s (min–max) | first delivery s | sink first→last msg/s |"
                + " sink connections | msgs / connection (max on one) | most at once | server CPU ms/msg | machine CPU ms/msg |"
                + " injector+sink CPU ms/msg | duplicates |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var e : g.entrySet()) {
            List<Run> rs = e.getValue();
            Key k = e.getKey();
            boolean incomplete = rs.stream().anyMatch(r -> r.delivered() < r.messages() || r.extra() > 0 || r.duplicates() > 0);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s (%s–%s)%s | %s | %s | %s | %s (%d) | %d | %s | %s | %s | %d |%n",
                    k.label(), size(k.size()), k.concurrency(), rs.getFirst().messages(), rs.size(),
                    f0(median(rs, Run::injectRate)), f0(median(rs, Run::e2eRate)), f0(min(rs, Run::e2eRate)), f0(max(rs, Run::e2eRate)),
                    incomplete ? " ⚠" : "", f2(median(rs, Run::firstSeconds)), f0(median(rs, Run::drainRate)), f0(median(rs, r -> r.connections())),
                    f1(median(rs, Run::reuse)), rs.stream().mapToInt(Run::maxPerConnection).max().orElse(0),
                    rs.stream().mapToInt(Run::maxSimultaneous).max().orElse(0),
                    f2(median(rs, Run::serverCpu)), f2(median(rs, Run::machineCpu)), f2(median(rs, Run::clientCpu)),
                    rs.stream().mapToInt(Run::duplicates).sum()));
        }
        if (runs.stream().anyMatch(r -> r.delivered() < r.messages() || r.extra() > 0 || r.duplicates() > 0)) {
            sb.append("\n⚠ some run lost messages or delivered duplicates (the same Message-ID twice): see the raw RESULT lines.\n");
        }
        return sb.toString();
    }

    private static String size(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    static double median(List<Run> rs, ToDoubleFunction<Run> f) {
        double[] v = rs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Run> rs, ToDoubleFunction<Run> f) {
        return Arrays.stream(rs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray()).min().orElse(Double.NaN);
    }

    private static double max(List<Run> rs, ToDoubleFunction<Run> f) {
        return Arrays.stream(rs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray()).max().orElse(Double.NaN);
    }

    private static String f0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
