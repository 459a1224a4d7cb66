package dev.sealpost.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end SMTP throughput: sends N messages over C connections and reports messages per second
 * for acceptance (the last "250" after end of data) and, with {@code --data} (a Sealpost data
 * directory) or {@code --maildir} (a Postfix Maildir), for delivery into the mailbox, plus CPU
 * milliseconds per message.
 *
 * <pre>
 * SmtpLoad --port P --to ADDRESS [--host 127.0.0.1] [--connections 1] [--messages 1000]
 *          [--size 4096] [--from bench@load.test] [--data DIR [--account ADDRESS]] [--maildir DIR]
 *          [--server-pid PID] [--label TEXT] [--timeout-seconds 600] [-- COMMAND ARGS...]
 * </pre>
 *
 * <p>With {@code -- COMMAND ...} the built-in generator is replaced by an external one (Postfix's
 * {@code smtp-source}), so the same client drives every server; acceptance time is then the
 * command's exit, and N messages are expected.
 *
 * <p>Printed at the end, one tab-separated line starting {@code RESULT}: label, size, connections,
 * messages, accepted, acceptance seconds, accepted msg/s, end-to-end seconds, delivered msg/s,
 * server (process tree) CPU ms/msg, machine CPU ms/msg, client CPU ms/msg, p50 and p99 of the
 * end-of-data → 250 latency in ms ({@code -} where not measured).
 */
public final class SmtpLoad {
    private SmtpLoad() {}

    record Options(String host, int port, int connections, int messages, int size, String from, String to,
                   Path data, String account, Path maildir, long serverPid, String label, int timeoutSeconds,
                   List<String> command) {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: SmtpLoad --port P --to ADDRESS [--host H] [--connections C] [--messages N] [--size BYTES]"
                    + " [--from ADDRESS] [--data DIR [--account ADDRESS]] [--maildir DIR] [--server-pid PID] [--label TEXT]"
                    + " [--timeout-seconds S] [-- COMMAND ARGS...]");
            System.exit(2);
            return;
        }
        System.exit(run(o) ? 0 : 1);
    }

    static Options parse(String[] args) {
        String host = "127.0.0.1", from = "bench@load.test", to = null, account = null, label = null;
        int port = -1, connections = 1, messages = 1000, size = 4096, timeout = 600;
        Path data = null, maildir = null;
        long pid = -1;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                command.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
            String v = args[++i];
            try {
                switch (a) {
                    case "--host" -> host = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--connections" -> connections = Integer.parseInt(v);
                    case "--messages" -> messages = Integer.parseInt(v);
                    case "--size" -> size = Integer.parseInt(v);
                    case "--from" -> from = v;
                    case "--to" -> to = v;
                    case "--data" -> data = Path.of(v);
                    case "--account" -> account = v;
                    case "--maildir" -> maildir = Path.of(v);
                    case "--server-pid" -> pid = Long.parseLong(v);
                    case "--label" -> label = v;
                    case "--timeout-seconds" -> timeout = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + a + ": not a number: " + v);
            }
        }
        if (command.isEmpty()) {
            if (port <= 0 || port > 65535) throw new IllegalArgumentException("--port is required (1-65535)");
            if (to == null) throw new IllegalArgumentException("--to is required");
        }
        if (connections < 1 || messages < 1 || size < 2 || timeout < 1) {
            throw new IllegalArgumentException("--connections, --messages, --timeout-seconds must be >= 1 and --size >= 2");
        }
        if (data != null && maildir != null) throw new IllegalArgumentException("--data and --maildir exclude each other");
        if (data != null && account == null) {
            if (to == null) throw new IllegalArgumentException("--data needs --account or --to");
            account = to.replaceFirst("\\+[^@]*@", "@"); // plus-addressing: alice+x@ reaches alice@
        }
        if (label == null) label = command.isEmpty() ? "SmtpLoad" : Path.of(command.getFirst()).getFileName().toString();
        return new Options(host, port, connections, messages, size, from, to, data, account, maildir, pid, label, timeout,
                List.copyOf(command));
    }

    static boolean run(Options o) throws Exception {
        long hz = CpuMeter.ticksPerSecond();
        long self = ProcessHandle.current().pid();
        // open the watch first: opening the store must happen before any message is in flight
        try (DeliveryWatch watch = o.data() != null ? DeliveryWatch.sealpost(o.data(), o.account())
                : o.maildir() != null ? DeliveryWatch.maildir(o.maildir()) : null) {
            long baseline = watch == null ? 0 : watch.count();
            long machine0 = CpuMeter.machineBusyTicks();
            long server0 = o.serverPid() > 0 ? CpuMeter.treeTicks(o.serverPid()) : 0;
            long client0 = CpuMeter.treeTicks(self);
            long t0 = System.nanoTime();

            int accepted;
            long acceptNanos;
            LoadGenerator.Outcome outcome = null;
            if (o.command().isEmpty()) {
                outcome = new LoadGenerator(new LoadGenerator.Settings(o.host(), o.port(), o.connections(), o.messages(),
                        o.size(), o.from(), o.to(), o.timeoutSeconds() * 1000)).run();
                accepted = outcome.accepted();
                acceptNanos = (outcome.lastAcceptNanos() == 0 ? System.nanoTime() : outcome.lastAcceptNanos()) - t0;
                for (String e : outcome.errors()) System.err.println("error: " + e);
                if (!outcome.pipelining()) System.err.println("note: the server did not offer PIPELINING");
            } else {
                Process p = new ProcessBuilder(o.command()).inheritIO().start();
                int rc = p.waitFor();
                acceptNanos = System.nanoTime() - t0;
                if (rc != 0) {
                    System.err.println("error: " + String.join(" ", o.command()) + " exited with " + rc);
                    return false;
                }
                accepted = o.messages();
            }

            long e2eNanos = -1;
            long delivered = -1;
            if (watch != null) {
                long deadline = t0 + o.timeoutSeconds() * 1_000_000_000L;
                while (true) {
                    delivered = watch.count() - baseline;
                    if (delivered >= accepted) {
                        e2eNanos = System.nanoTime() - t0;
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        System.err.printf("error: only %d of %d messages delivered after %d s%n", delivered, accepted, o.timeoutSeconds());
                        break;
                    }
                    Thread.sleep(10);
                }
            }
            long machine = CpuMeter.machineBusyTicks() - machine0;
            long server = o.serverPid() > 0 ? CpuMeter.treeTicks(o.serverPid()) - server0 : -1;
            long client = CpuMeter.treeTicks(self) - client0;

            double acceptS = acceptNanos / 1e9;
            double e2eS = e2eNanos / 1e9;
            double msPerTick = 1000.0 / hz;
            String serverCpu = server < 0 ? "-" : fmt(server * msPerTick / accepted);
            String machineCpu = fmt(machine * msPerTick / accepted);
            String clientCpu = fmt(client * msPerTick / accepted);
            String p50 = outcome == null ? "-" : fmt(outcome.percentileNanos(0.50) / 1e6);
            String p99 = outcome == null ? "-" : fmt(outcome.percentileNanos(0.99) / 1e6);
            System.out.printf(Locale.ROOT, "%s: %d x %d B over %d connection(s): %d accepted in %.3f s = %.1f msg/s",
                    o.label(), o.messages(), o.size(), o.connections(), accepted, acceptS, accepted / acceptS);
            if (e2eNanos >= 0) System.out.printf(Locale.ROOT, "; delivered in %.3f s = %.1f msg/s", e2eS, accepted / e2eS);
            System.out.printf(Locale.ROOT, "; CPU ms/msg: server %s, machine %s, client %s", serverCpu, machineCpu, clientCpu);
            if (outcome != null) System.out.printf(Locale.ROOT, "; 250 latency p50 %s ms, p99 %s ms", p50, p99);
            System.out.println();
            System.out.println(String.join("\t", "RESULT", o.label(), Integer.toString(o.size()),
                    Integer.toString(o.connections()), Integer.toString(o.messages()), Integer.toString(accepted),
                    fmt(acceptS), fmt(accepted / acceptS), e2eNanos < 0 ? "-" : fmt(e2eS),
                    e2eNanos < 0 ? "-" : fmt(accepted / e2eS), serverCpu, machineCpu, clientCpu, p50, p99));
            boolean ok = accepted == o.messages() && (watch == null || e2eNanos >= 0);
            if (outcome != null && !outcome.errors().isEmpty()) ok = false;
            return ok;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
