package dev.sealpost.bench.outbound;

import dev.sealpost.bench.CpuMeter;

import java.util.List;
import java.util.Locale;

/**
 * End-to-end outbound throughput: starts a {@link CountingSink} on the given loopback port (the
 * server's {@code [queue] transports} route a domain there), puts N messages into the server's MX
 * listener addressed to an alias that forwards to that domain, and waits until the sink has
 * received all of them. Measures the time from the first injected message to the last "250" the
 * sink sent (outbound msg/s, the MX intake and local alias expansion included), the TCP
 * connections the sink saw (messages per connection = connection reuse), and CPU per message
 * of the server's process tree, of the machine and of this process (injector + sink).
 *
 * <pre>
 * OutboundLoad --mx-port P --to ADDRESS --sink-port Q [--messages 1000] [--size 4096]
 *              [--inject-connections 8] [--concurrency K] [--server-pid PID] [--label TEXT]
 *              [--from bench@load.test] [--timeout-seconds 600] [--drain COMMAND ARGS...]
 * </pre>
 *
 * <p>With {@code --drain COMMAND ...} (the last option) the queue is filled first: the sink
 * answers every RCPT with 451 until each injected message was tried once and deferred, then it
 * starts accepting, COMMAND is run (e.g. {@code sealpost queue retry --all}: every deferred
 * recipient due now) and the clock, CPU meters and sink counts start from there. That measures
 * the queue draining a backlog, without the MX intake.
 *
 * <p>{@code --concurrency} is only recorded (it is the server's {@code queue.concurrency_per_domain}).
 * Printed at the end, one tab-separated line: {@code RESULT}, label, size, concurrency, messages,
 * injected, delivered, end-to-end seconds, delivered msg/s, injection seconds, injected msg/s,
 * connections, messages per connection, most messages on one connection, most simultaneous
 * connections, seconds to the first delivered message, server CPU ms/msg, machine CPU ms/msg,
 * this process's CPU ms/msg, extra messages that arrived in a 1 s grace period after the last
 * expected one (duplicates; should be 0), and the sink-side rate from the first to the last
 * delivered message (msg/s without the wait before the queue's first connection), and the
 * messages the sink received twice (same Message-ID; should be 0).
 */
public final class OutboundLoad {
    private OutboundLoad() {}

    record Options(int mxPort, String to, int sinkPort, int messages, int size, int injectConnections, int concurrency,
                   long serverPid, String label, String from, int timeoutSeconds, List<String> releaseCommand) {
        boolean drain() {
            return !releaseCommand.isEmpty();
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: OutboundLoad --mx-port P --to ADDRESS --sink-port Q [--messages N] [--size BYTES]"
                    + " [--inject-connections C] [--concurrency K] [--server-pid PID] [--label TEXT] [--from ADDRESS]"
                    + " [--timeout-seconds S] [--drain COMMAND ARGS...]");
            System.exit(2);
            return;
        }
        System.exit(run(o) ? 0 : 1);
    }

    static Options parse(String[] args) {
        int mx = -1, sink = -1, messages = 1000, size = 4096, inject = 8, concurrency = 0, timeout = 600;
        String to = null, label = "sealpost", from = "bench@load.test";
        long pid = -1;
        List<String> release = List.of();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--drain")) {
                release = List.of(args).subList(i + 1, args.length);
                if (release.isEmpty()) throw new IllegalArgumentException("--drain needs a command that makes the queued messages due");
                break;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
            String v = args[++i];
            try {
                switch (a) {
                    case "--mx-port" -> mx = Integer.parseInt(v);
                    case "--sink-port" -> sink = Integer.parseInt(v);
                    case "--to" -> to = v;
                    case "--messages" -> messages = Integer.parseInt(v);
                    case "--size" -> size = Integer.parseInt(v);
                    case "--inject-connections" -> inject = Integer.parseInt(v);
                    case "--concurrency" -> concurrency = Integer.parseInt(v);
                    case "--server-pid" -> pid = Long.parseLong(v);
                    case "--label" -> label = v;
                    case "--from" -> from = v;
                    case "--timeout-seconds" -> timeout = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + a + ": not a number: " + v);
            }
        }
        if (mx < 1 || mx > 65535) throw new IllegalArgumentException("--mx-port is required (1-65535)");
        if (sink < 1 || sink > 65535) throw new IllegalArgumentException("--sink-port is required (1-65535)");
        if (to == null) throw new IllegalArgumentException("--to is required");
        if (messages < 1 || inject < 1 || timeout < 1 || size < 2) {
            throw new IllegalArgumentException("--messages, --inject-connections, --timeout-seconds must be >= 1 and --size >= 2");
        }
        return new Options(mx, to, sink, messages, size, inject, concurrency, pid, label, from, timeout, List.copyOf(release));
    }

    static boolean run(Options o) throws Exception {
        double msPerTick = 1000.0 / CpuMeter.ticksPerSecond();
        long self = ProcessHandle.current().pid();
        try (CountingSink sink = new CountingSink(o.sinkPort())) {
            long machine0 = CpuMeter.machineBusyTicks();
            long server0 = o.serverPid() > 0 ? CpuMeter.treeTicks(o.serverPid()) : 0;
            long client0 = CpuMeter.treeTicks(self);
            sink.deferRecipients(o.drain());

            Injector.Outcome in = new Injector("127.0.0.1", o.mxPort(), o.injectConnections(), o.messages(), o.size(), o.from(),
                    o.to(), o.timeoutSeconds() * 1000).run();
            for (String e : in.errors().subList(0, Math.min(10, in.errors().size()))) System.err.println("error: " + e);
            long t0 = in.firstSendNanos();
            double inject = in.lastAcceptNanos() > 0 ? (in.lastAcceptNanos() - t0) / 1e9 : Double.NaN;
            if (o.drain()) {
                // every message tried once and deferred by the sink: the queue is full; now let it drain
                if (!sink.awaitDeferred(in.accepted(), t0 + o.timeoutSeconds() * 1_000_000_000L)) {
                    System.err.printf(Locale.ROOT, "error: only %d of %d recipients were deferred after %d s%n",
                            sink.deferred(), in.accepted(), o.timeoutSeconds());
                    return false;
                }
                // and nothing in flight any more (a connection may still be working through its chunk)
                if (!sink.awaitQuiet(1_500_000_000L, t0 + o.timeoutSeconds() * 1_000_000_000L)) {
                    System.err.println("error: the queue kept connecting to the sink while it was deferring");
                    return false;
                }
                System.err.printf(Locale.ROOT, "queue filled: %d messages (%d deferred recipients) %.1f s after the first injection; releasing%n",
                        in.accepted(), sink.deferred(), (System.nanoTime() - t0) / 1e9);
                sink.reset();
                sink.deferRecipients(false);
                machine0 = CpuMeter.machineBusyTicks();
                server0 = o.serverPid() > 0 ? CpuMeter.treeTicks(o.serverPid()) : 0;
                client0 = CpuMeter.treeTicks(self);
                t0 = System.nanoTime();
                Process p = new ProcessBuilder(o.releaseCommand()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                int rc = p.waitFor();
                if (rc != 0) {
                    System.err.println("error: " + String.join(" ", o.releaseCommand()) + " exited with " + rc);
                    return false;
                }
            }
            long deadline = t0 + o.timeoutSeconds() * 1_000_000_000L;
            boolean all = sink.awaitMessages(in.accepted(), deadline);
            CountingSink.Snapshot s = sink.snapshot();
            long machine = CpuMeter.machineBusyTicks() - machine0;
            long server = o.serverPid() > 0 ? CpuMeter.treeTicks(o.serverPid()) - server0 : -1;
            long client = CpuMeter.treeTicks(self) - client0;
            if (!all) System.err.printf(Locale.ROOT, "error: only %d of %d messages reached the sink after %d s%n", s.messages(),
                    in.accepted(), o.timeoutSeconds());
            // a grace second: anything beyond the injected count is a duplicate delivery
            Thread.sleep(1000);
            CountingSink.Snapshot after = sink.snapshot();
            int extra = Math.max(0, after.messages() - in.accepted());
            if (extra > 0) System.err.println("error: " + extra + " message(s) more than injected reached the sink");
            if (after.duplicates() > 0) {
                System.err.println("error: " + after.duplicates() + " message(s) arrived twice (same Message-ID), e.g. "
                        + String.join(", ", after.duplicateIds().subList(0, Math.min(5, after.duplicateIds().size()))));
            }

            int n = Math.max(1, in.accepted());
            double e2e = all && s.lastMessageNanos() > 0 ? (s.lastMessageNanos() - t0) / 1e9 : Double.NaN;
            double first = s.firstMessageNanos() > 0 ? (s.firstMessageNanos() - t0) / 1e9 : Double.NaN;
            double drain = s.messages() > 1 && s.lastMessageNanos() > s.firstMessageNanos()
                    ? (s.messages() - 1) / ((s.lastMessageNanos() - s.firstMessageNanos()) / 1e9) : Double.NaN;
            System.out.printf(Locale.ROOT, "%s: %d x %d B, concurrency %d: injected %d in %.3f s (%.1f msg/s); sink got %d in %.3f s"
                            + " = %.1f msg/s (first after %.3f s, then %.1f msg/s) over %d connection(s) = %.1f msg/connection (at most %d on one,"
                            + " %d at once); CPU ms/msg: server %s, machine %s, injector+sink %s%n",
                    o.label(), o.messages(), o.size(), o.concurrency(), in.accepted(), inject, in.accepted() / inject, s.messages(),
                    e2e, in.accepted() / e2e, first, drain, s.connections(), s.reuse(), s.maxPerConnection(), s.maxSimultaneous(),
                    server < 0 ? "-" : fmt(server * msPerTick / n), fmt(machine * msPerTick / n), fmt(client * msPerTick / n));
            System.out.println(String.join("\t", List.of("RESULT", o.label(), Integer.toString(o.size()),
                    Integer.toString(o.concurrency()), Integer.toString(o.messages()), Integer.toString(in.accepted()),
                    Integer.toString(s.messages()), fmt(e2e), fmt(in.accepted() / e2e), fmt(inject), fmt(in.accepted() / inject),
                    Integer.toString(s.connections()), fmt(s.reuse()), Integer.toString(s.maxPerConnection()),
                    Integer.toString(s.maxSimultaneous()), fmt(first), server < 0 ? "-" : fmt(server * msPerTick / n),
                    fmt(machine * msPerTick / n), fmt(client * msPerTick / n), Integer.toString(extra), fmt(drain), Integer.toString(after.duplicates()))));
            return all && in.errors().isEmpty() && in.accepted() == o.messages() && extra == 0 && after.duplicates() == 0;
        }
    }

    static String fmt(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
