package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code sealpost queue list|show|retry|hold|release|delete|bounce}: the outbound queue. Works on
 * the store directly (the running server picks changes up at its next round, within seconds).
 */
@Command(name = "queue", description = "Inspect and steer the outbound queue (mail for other domains).", mixinStandardHelpOptions = true)
public final class QueueCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "list", description = "List queued messages with remote recipients: id, age, sender, recipients and their state.")
    int list(@Option(names = "--limit", defaultValue = "1000", description = "Most messages shown (default: ${DEFAULT-VALUE}).") int limit) {
        try (Store s = store.open()) {
            List<OutboundQueue.Entry> entries = s.outbound().list(Math.max(1, limit));
            if (entries.isEmpty()) {
                System.out.println("queue is empty");
                return 0;
            }
            for (OutboundQueue.Entry e : entries) {
                OutboundQueue.QueueMessage m = e.message();
                long pending = e.deliveries().stream().filter(d -> d.state() == OutboundQueue.State.PENDING).count();
                boolean held = e.deliveries().stream().anyMatch(OutboundQueue.Delivery::held);
                System.out.printf("%-8d %-20s %6d bytes  from <%s>  %d recipient(s), %d pending%s%n", m.id(), m.receivedAt(),
                        m.blob().size(), m.mailFrom(), e.deliveries().size(), pending, held ? ", HELD" : "");
                for (OutboundQueue.Delivery d : e.deliveries()) {
                    System.out.println("         " + line(d));
                }
            }
        }
        return 0;
    }

    private static String line(OutboundQueue.Delivery d) {
        StringBuilder b = new StringBuilder();
        b.append('<').append(d.address()).append("> ").append(d.state());
        if (d.held()) b.append(" HELD");
        if (d.state() == OutboundQueue.State.PENDING) b.append(", next ").append(d.nextAttemptAt());
        b.append(", attempts ").append(d.attempts());
        if (d.lastReply() != null) b.append(": ").append(d.lastReply());
        return b.toString();
    }

    @Command(name = "show", description = "Show one queued message with the state of each remote recipient.")
    int show(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            OutboundQueue.Entry e = s.outbound().show(id).orElseThrow(() -> new Main.UserError("no queued message " + id + " with remote recipients"));
            OutboundQueue.QueueMessage m = e.message();
            System.out.println("queue id:     " + m.id());
            System.out.println("from:         <" + m.mailFrom() + ">");
            System.out.println("received:     " + m.receivedAt() + (m.clientAddress() != null ? " from " + m.clientAddress() : "")
                    + (m.authUser() != null ? " (authenticated as " + m.authUser() + ")" : ""));
            System.out.println("size:         " + m.blob().size() + " bytes, blob " + m.blob().id());
            System.out.println("body:         " + (m.bodyType() == null ? "7BIT" : m.bodyType()) + (m.smtpUtf8() ? ", SMTPUTF8" : "")
                    + (m.requireTls() ? ", REQUIRETLS" : ""));
            System.out.println("dsn:          RET=" + (m.dsnRet() == null ? "-" : m.dsnRet()) + " ENVID=" + (m.dsnEnvid() == null ? "-" : m.dsnEnvid()));
            for (OutboundQueue.Delivery d : e.deliveries()) {
                System.out.println("recipient:    " + line(d));
                System.out.println("              notify=" + (d.dsnNotify() == null ? "-" : d.dsnNotify()) + " orcpt=" + (d.orcpt() == null ? "-" : d.orcpt())
                        + (d.remoteMta() != null ? " host=" + d.remoteMta() : "") + (d.firstAttemptAt() != null ? " first=" + d.firstAttemptAt() : "")
                        + (d.dsnPending() != null ? " dsn-owed=" + d.dsnPending().wire() : ""));
            }
        }
        return 0;
    }

    @Command(name = "retry", description = "Make a message's pending recipients (or all, with --all) due now.")
    int retry(@Parameters(paramLabel = "ID", arity = "0..1") Long id,
              @Option(names = "--all", description = "Every pending, not held recipient.") boolean all) {
        if ((id == null) == !all) throw new Main.UserError("give a queue ID or --all");
        try (Store s = store.open()) {
            int n = all ? s.outbound().retryAll() : s.outbound().retryNow(id);
            if (!all) exists(s, id);
            System.out.println(n + " recipient(s) due now");
        }
        return 0;
    }

    @Command(name = "hold", description = "Keep a message's pending recipients back until released.")
    int hold(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            exists(s, id);
            System.out.println(s.outbound().hold(id) + " recipient(s) held");
        }
        return 0;
    }

    @Command(name = "release", description = "Release a held message (due now).")
    int release(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            exists(s, id);
            System.out.println(s.outbound().release(id) + " recipient(s) released");
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a message from the queue: no further attempt and no DSN.")
    int delete(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            exists(s, id);
            if (!s.outbound().delete(id)) throw new Main.UserError("no queued message " + id);
            System.out.println("deleted queue id " + id);
        }
        return 0;
    }

    @Command(name = "bounce", description = "Give up on a message's pending recipients now and return it to the sender (DSN).")
    int bounce(@Parameters(paramLabel = "ID") long id,
               @Option(names = "--reason", defaultValue = "Delivery cancelled by the administrator",
                       description = "Text for the DSN (default: ${DEFAULT-VALUE}).") String reason) {
        String text = reason.replaceAll("[\\p{Cntrl}]", " ").strip();
        try (Store s = store.open()) {
            exists(s, id);
            int n = s.outbound().bounce(id, "554 5.0.0 " + (text.isEmpty() ? "Delivery cancelled by the administrator" : text));
            System.out.println(n + " recipient(s) bounced" + (n > 0 ? " (the DSN is sent by the running server)" : ""));
        }
        return 0;
    }

    private static void exists(Store s, long id) {
        if (s.outbound().show(id).isEmpty()) throw new Main.UserError("no queued message " + id + " with remote recipients");
    }

}
