package dev.sealpost.bench.sieve;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.delivery.Forwarder;
import dev.sealpost.delivery.LocalDelivery;
import dev.sealpost.delivery.SieveFilter;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.SieveScripts;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Local delivery throughput with a 50-rule Sieve script against no script (issue 15: the script
 * must cost under 10% of delivery time). Each round opens a fresh SQLite store in a temporary
 * directory, spools N messages of about 4 KiB to one account (not timed), then times
 * {@link LocalDelivery#runOnce()} until every message is in a mailbox: the real delivery path
 * (blob read, parse, Sieve, one store transaction per message with group commit and fsync).
 * Rounds alternate between "none" (Sieve wired in as in the server, the account has no script)
 * and "rules50". It also times {@link SieveFilter#plan} alone on the same messages (the script's
 * own cost, without the store).
 *
 * <p>Usage: {@code java -cp ... dev.sealpost.bench.sieve.SieveDeliveryBenchmark [MESSAGES] [ROUNDS]}
 * (defaults 2000 and 3). Prints one line per round and the medians; nothing is asserted.
 */
public final class SieveDeliveryBenchmark {
    private SieveDeliveryBenchmark() {}

    /** 50 rules as users write them: subject, sender, list, size and flag rules; the last ones file. */
    static String script() {
        StringBuilder s = new StringBuilder("require [\"fileinto\", \"mailbox\", \"imap4flags\", \"variables\", \"relational\", "
                + "\"comparator-i;ascii-numeric\", \"subaddress\", \"envelope\", \"body\"];\n");
        for (int i = 0; i < 20; i++) {
            s.append("if header :contains \"subject\" [\"project-").append(i).append("\", \"ticket #").append(i).append("\"] {\n")
                    .append("  fileinto :create \"Projects/P").append(i).append("\"; stop;\n}\n");
        }
        for (int i = 0; i < 15; i++) {
            s.append("if address :domain :is \"from\" \"vendor").append(i).append(".test\" { addflag \"$Vendor\"; fileinto :create \"Vendors\"; stop; }\n");
        }
        for (int i = 0; i < 10; i++) {
            s.append("if header :matches \"list-id\" \"*list").append(i).append(".lists.test*\" { fileinto :create \"Lists/L").append(i)
                    .append("\"; stop; }\n");
        }
        s.append("if size :over 1M { addflag \"$Big\"; }\n");
        s.append("if envelope :detail \"to\" \"shop\" { fileinto :create \"Shopping\"; stop; }\n");
        s.append("if header :value \"ge\" :comparator \"i;ascii-numeric\" \"x-priority\" \"4\" { addflag \"$Low\"; }\n");
        s.append("if header :matches \"subject\" \"*invoice*\" { set \"who\" \"${1}\"; fileinto :create \"Invoices\"; stop; }\n");
        // the one rule the benchmark's messages hit: every message goes through all 49 before it
        s.append("if header :contains \"x-bench\" \"sorted\" { fileinto :create \"Sorted\"; }\n");
        return s.toString();
    }

    static byte[] message(int i) {
        StringBuilder b = new StringBuilder();
        b.append("Received: from client.test by mx.example.test; Mon, 7 Dec 2026 10:00:00 +0000\r\n");
        b.append("From: Someone <someone").append(i % 50).append("@sender.test>\r\nTo: bob@example.test\r\n");
        b.append("Subject: weekly status ").append(i).append("\r\nMessage-ID: <").append(i).append("@sender.test>\r\n");
        b.append("Date: Mon, 7 Dec 2026 10:00:00 +0000\r\nX-Bench: sorted\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n");
        while (b.length() < 4096) b.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor ").append(i).append("\r\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    record Round(String kind, int messages, double seconds, double planMicros) {
        double perSecond() {
            return messages / seconds;
        }
    }

    static Round round(boolean withScript, int n) throws Exception {
        Path dir = Files.createTempDirectory("sieve-bench");
        try (Store store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096))) {
            store.directory().addDomain("example.test");
            long bob = store.directory().addAccount("bob@example.test", "bench password 1".toCharArray()).id();
            if (withScript) {
                store.sieveScripts().put(bob, "rules", script(), SieveScripts.Quota.unlimited());
                store.sieveScripts().setActive(bob, "rules");
            }
            Forwarder f = new Forwarder(store, null, Clock.systemUTC());
            SieveFilter filter = new SieveFilter(store, f);
            LocalDelivery delivery = new LocalDelivery(store, Duration.ofSeconds(1), null, filter, f);
            List<byte[]> msgs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] m = message(i);
                msgs.add(m);
                BlobRef blob = store.blobs().put(m);
                store.spool().enqueue(new Spool.Envelope("someone@sender.test", List.of(new Spool.Recipient("bob@example.test", null, null)),
                        "192.0.2.1", "client.test", null, "bench", false, false, "7BIT", null, null, Instant.now()), blob);
            }
            long t0 = System.nanoTime();
            int done = 0;
            while (done < n) {
                int k = delivery.runOnce();
                if (k == 0) break;
                done += k;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long stored = store.mailboxes().list(bob).stream().mapToLong(mb -> store.mailboxes().messages(mb.id()).size()).sum();
            if (stored != n) throw new IllegalStateException("stored " + stored + " of " + n);
            // the script alone: plan() on each message, parsed as delivery parses it
            double planMicros = 0;
            if (withScript) {
                List<SieveFilter.Step> steps = filter.scripts(bob, "bob@example.test");
                long p0 = System.nanoTime();
                for (byte[] m : msgs) {
                    SieveFilter.Plan p = filter.plan(steps, bob, SieveFilter.parse(m, "someone@sender.test", null), "bob@example.test", "bob@example.test");
                    if (p.copies().isEmpty()) throw new IllegalStateException("no copy");
                }
                planMicros = (System.nanoTime() - p0) / 1e3 / n;
            }
            return new Round(withScript ? "rules50" : "none", n, seconds, planMicros);
        } finally {
            try (var w = Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        round(false, Math.min(n, 500)); // warm-up, not counted
        round(true, Math.min(n, 500));
        List<Round> none = new ArrayList<>(), rules = new ArrayList<>();
        System.out.println("kind\tmessages\tseconds\tmsg_per_s\tplan_us_per_msg");
        for (int r = 0; r < rounds; r++) {
            for (boolean s : new boolean[] {false, true}) {
                Round x = round(s, n);
                (s ? rules : none).add(x);
                System.out.printf("%s\t%d\t%.3f\t%.1f\t%.1f%n", x.kind(), x.messages(), x.seconds(), x.perSecond(), x.planMicros());
            }
        }
        double a = median(none.stream().mapToDouble(Round::perSecond).toArray());
        double b = median(rules.stream().mapToDouble(Round::perSecond).toArray());
        double plan = median(rules.stream().mapToDouble(Round::planMicros).toArray());
        System.out.printf("median msg/s: none %.1f, rules50 %.1f (%.1f%% slower); script alone %.1f us/msg = %.1f%% of the delivery time per message with it%n",
                a, b, 100 * (a - b) / a, plan, 100 * plan / (1e6 / b));
    }

    static double median(double[] v) {
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
