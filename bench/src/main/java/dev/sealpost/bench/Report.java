package dev.sealpost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the {@code RESULT} lines of {@link SmtpLoad} runs (one file, tab-separated) into Markdown
 * tables: per server/client/size/connections the median of the repeated runs with the min–max
 * spread, then, when both are present, Sealpost against Postfix driven by the same client.
 *
 * <pre>Report RESULTS.tsv [SEALPOST_LABEL POSTFIX_LABEL]</pre>
 */
public final class Report {
    private Report() {}

    /** One RESULT line. Missing values ("-") are NaN. */
    record Run(String label, int size, int connections, int messages, double acceptRate, double e2eRate,
               double serverCpu, double machineCpu, double clientCpu, double p50, double p99) {
        static Run parse(String line) {
            String[] f = line.split("\t");
            if (f.length < 15 || !f[0].equals("RESULT")) throw new IllegalArgumentException("not a RESULT line: " + line);
            return new Run(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), num(f[7]), num(f[9]),
                    num(f[10]), num(f[11]), num(f[12]), num(f[13]), num(f[14]));
        }

        private static double num(String s) {
            return s.equals("-") ? Double.NaN : Double.parseDouble(s);
        }
    }

    record Key(String label, int size, int connections) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: Report RESULTS.tsv [SEALPOST_LABEL POSTFIX_LABEL]");
            System.exit(2);
        }
        List<Run> runs = Files.readAllLines(Path.of(args[0])).stream()
                .filter(l -> l.startsWith("RESULT\t")).map(Run::parse).toList();
        System.out.print(table(runs));
        if (args.length == 3) System.out.print(comparison(runs, args[1], args[2]));
    }

    static Map<Key, List<Run>> group(List<Run> runs) {
        Map<Key, List<Run>> g = new LinkedHashMap<>();
        runs.stream().sorted(Comparator.comparing(Run::label).thenComparingInt(Run::size).thenComparingInt(Run::connections))
                .forEach(r -> g.computeIfAbsent(new Key(r.label(), r.size(), r.connections()), k -> new ArrayList<>()).add(r));
        return g;
    }

    static String table(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("| server / client | size | conns | N | runs | accepted msg/s | delivered msg/s (min–max) | server CPU ms/msg | machine CPU ms/msg | client CPU ms/msg | 250 latency p50 / p99 ms |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var e : group(runs).entrySet()) {
            List<Run> rs = e.getValue();
            Key k = e.getKey();
            List<Double> e2e = rs.stream().map(Run::e2eRate).toList();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s (%s–%s) | %s | %s | %s | %s / %s |%n",
                    k.label(), size(k.size()), k.connections(), rs.getFirst().messages(), rs.size(),
                    f0(median(rs.stream().map(Run::acceptRate).toList())), f0(median(e2e)), f0(min(e2e)), f0(max(e2e)),
                    f2(median(rs.stream().map(Run::serverCpu).toList())), f2(median(rs.stream().map(Run::machineCpu).toList())),
                    f2(median(rs.stream().map(Run::clientCpu).toList())),
                    f1(median(rs.stream().map(Run::p50).toList())), f1(median(rs.stream().map(Run::p99).toList()))));
        }
        return sb.toString();
    }

    static String comparison(List<Run> runs, String sealpost, String postfix) {
        Map<Key, List<Run>> g = group(runs);
        StringBuilder sb = new StringBuilder("\n| size | conns | Sealpost delivered msg/s | Postfix delivered msg/s | ratio | Sealpost machine CPU ms/msg | Postfix machine CPU ms/msg |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Key k : g.keySet()) {
            if (!k.label().equals(sealpost)) continue;
            List<Run> s = g.get(k);
            List<Run> p = g.get(new Key(postfix, k.size(), k.connections()));
            if (p == null) continue;
            double se = median(s.stream().map(Run::e2eRate).toList());
            double pe = median(p.stream().map(Run::e2eRate).toList());
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.2f× | %s | %s |%n", size(k.size()), k.connections(),
                    f0(se), f0(pe), se / pe, f2(median(s.stream().map(Run::machineCpu).toList())),
                    f2(median(p.stream().map(Run::machineCpu).toList()))));
        }
        return sb.toString();
    }

    static double median(List<Double> xs) {
        List<Double> v = xs.stream().filter(d -> !d.isNaN()).sorted().toList();
        if (v.isEmpty()) return Double.NaN;
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static double min(List<Double> xs) {
        return xs.stream().filter(d -> !d.isNaN()).mapToDouble(d -> d).min().orElse(Double.NaN);
    }

    private static double max(List<Double> xs) {
        return xs.stream().filter(d -> !d.isNaN()).mapToDouble(d -> d).max().orElse(Double.NaN);
    }

    private static String size(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static String f0(double d) {
        return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%.0f", d);
    }

    private static String f1(double d) {
        return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String f2(double d) {
        return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%.2f", d);
    }
}
