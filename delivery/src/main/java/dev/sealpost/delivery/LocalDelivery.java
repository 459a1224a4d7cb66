package dev.sealpost.delivery;

import dev.sealpost.core.metrics.Meters;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.Directory;
import dev.sealpost.store.MessageSummary;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The local transport (MDA): takes spooled messages, expands each recipient through the
 * directory (aliases, catch-all, plus-addressing) and files one copy per account into its
 * INBOX. Each message's outcome is one store transaction that both inserts the mailbox rows
 * and marks the spool recipients, so a crash before it commits redoes the whole message and a
 * crash after it redoes nothing: exactly once per account. Before storing, the message is
 * parsed once ({@link MessageStructure}) and its structure and header summary are cached with
 * each copy for IMAP.
 */
public final class LocalDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalDelivery.class);
    private static final int BATCH = 200;
    /** Messages delivered at once (each waits on the store's group commit). */
    private static final int PARALLEL = 32;

    private final Store store;
    private final Semaphore wake = new Semaphore(0);
    private final Duration pollInterval;
    private volatile boolean running;
    private Thread thread;

    private final ReportIntake reports;

    public LocalDelivery(Store store, Duration pollInterval) {
        this(store, pollInterval, null);
    }

    /**
     * @param reports reads DMARC and TLS-RPT reports out of mail to the report mailboxes before it is
     *                delivered as usual (config {@code auth.report_mailboxes}), or null
     */
    public LocalDelivery(Store store, Duration pollInterval, ReportIntake reports) {
        this.store = store;
        this.pollInterval = pollInterval;
        this.reports = reports;
    }

    /** Starts the delivery loop on its own thread; pending spool entries from before a crash are delivered first. */
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofPlatform().name("local-delivery").daemon(true).start(this::loop);
    }

    /** Tells the loop that new mail is in the spool. Cheap; callable from any thread. */
    public void wake() {
        if (wake.availablePermits() == 0) wake.release();
    }

    private void loop() {
        while (running) {
            try {
                int n = runOnce();
                if (n >= BATCH) continue; // more waiting
                wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (dev.sealpost.store.StoreException e) {
                // disk full or another store failure: the messages stay PENDING and are retried
                log.warn("local delivery round failed ({}): {}; retrying", e.kind(), e.getMessage());
                try {
                    Thread.sleep(Math.min(pollInterval.toMillis(), 1000));
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("local delivery round failed; retrying", e);
                try {
                    Thread.sleep(Math.min(pollInterval.toMillis(), 1000));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static void countSettled(List<Spool.Disposition> out) {
        for (Spool.Disposition d : out) {
            if (d instanceof Spool.ToMailboxes) {
                Meters.count(Meters.DELIVERIES, "Recipient deliveries settled", "route", "local", "outcome", "delivered");
            } else if (d instanceof Spool.Failed) {
                Meters.count(Meters.DELIVERIES, "Recipient deliveries settled", "route", "local", "outcome", "bounced");
            }
        }
    }

    /** Delivers one batch of pending messages; returns how many messages it handled. */
    public int runOnce() {
        List<Spool.QueuedMessage> batch = store.spool().pendingLocal(BATCH);
        // Messages are independent: deliver them concurrently so that the store's single writer
        // folds their transactions into a few group commits instead of one fsync each.
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore slots = new Semaphore(PARALLEL);
            for (Spool.QueuedMessage m : batch) {
                slots.acquireUninterruptibly();
                executor.submit(() -> {
                    try {
                        deliver(m);
                    } catch (dev.sealpost.store.StoreException e) {
                        // a store failure (e.g. disk full): the message stays PENDING, retried next round
                        log.warn("queue id={} delivery deferred, store failure ({}): {}", m.id(), e.kind(), e.getMessage());
                    } catch (RuntimeException e) {
                        // our bug: leave the message pending, it is retried next round
                        log.error("queue id={} delivery failed, will retry", m.id(), e);
                    } finally {
                        slots.release();
                    }
                });
            }
        } // close() waits for every task
        return batch.size();
    }

    private void deliver(Spool.QueuedMessage m) {
        Directory dir = store.directory();
        List<Spool.Disposition> out = new ArrayList<>();
        for (Spool.QueuedRecipient r : m.recipients()) {
            if (r.state() != Spool.RecipientState.PENDING) continue;
            Optional<EmailAddress> addr = EmailAddress.parse(r.address());
            if (addr.isEmpty()) {
                out.add(new Spool.Failed(r.id(), "553 5.1.3 bad recipient address syntax"));
                continue;
            }
            String domain = addr.get().domain();
            if (!dir.isLocalDomain(domain)) {
                out.add(new Spool.Remote(r.id(), List.of(addr.get().toString())));
                continue;
            }
            Directory.Resolution res = dir.resolve(addr.get());
            Set<Long> accounts = new LinkedHashSet<>();
            res.accounts().forEach(a -> accounts.add(a.id()));
            if (accounts.isEmpty() && res.remoteAddresses().isEmpty()) {
                // the account went away between RCPT and delivery
                out.add(new Spool.Failed(r.id(), "550 5.1.1 user unknown"));
                continue;
            }
            if (!accounts.isEmpty()) out.add(new Spool.ToMailboxes(r.id(), List.copyOf(accounts)));
            if (!res.remoteAddresses().isEmpty()) out.add(new Spool.Remote(r.id(), res.remoteAddresses()));
        }
        if (out.isEmpty()) return;
        takeReports(m);
        MessageSummary summary = out.stream().anyMatch(d -> d instanceof Spool.ToMailboxes) ? summarize(m) : null;
        store.spool().complete(m.id(), out, summary);
        countSettled(out);
        log.info("queue id={} delivered: {}", m.id(), summary(out));
    }

    /**
     * Stores the report a message to a report mailbox carries. Before the spool transaction, so a
     * crash in between re-reads it (the store deduplicates); a failure is logged and the message
     * is delivered all the same.
     */
    private void takeReports(Spool.QueuedMessage m) {
        if (reports == null) return;
        boolean toReportMailbox = m.recipients().stream()
                .anyMatch(r -> r.state() == Spool.RecipientState.PENDING && reports.isReportMailbox(r.address()));
        if (!toReportMailbox) return;
        try (InputStream in = store.blobs().open(m.blob().id())) {
            byte[] mail = in.readNBytes(64 * 1024 * 1024 + 1); // the report parsers' own bounds are lower
            switch (reports.take(mail, m.envelope().receivedAt())) {
                case ReportIntake.Stored st -> log.info("queue id={} {} report stored: org={} id={} domain={} messages={} failed={}",
                        m.id(), st.report().kind().keyword(), st.report().orgName(), st.report().reportId(), st.report().domain(),
                        st.report().messageCount(), st.report().failureCount());
                case ReportIntake.Duplicate d -> log.info("queue id={} {} report from {} id={} already stored", m.id(),
                        d.kind().keyword(), d.orgName(), d.reportId());
                case ReportIntake.NotAReport n -> log.info("queue id={} mail to a report mailbox is not a report: {}", m.id(), n.reason());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("queue id={} report intake failed, delivering the message anyway: {}", m.id(), e.toString());
        }
    }

    /**
     * Parses the message once for the mailbox copies' cache (IMAP BODYSTRUCTURE, ENVELOPE). A
     * failure to read the blob, or a parser bug, must not hold the mail back: it is delivered
     * without the cache, which is rebuilt from the blob when needed.
     */
    private MessageSummary summarize(Spool.QueuedMessage m) {
        try (InputStream in = store.blobs().open(m.blob().id())) {
            MessageStructure s = MessageStructure.parse(in, MessageStructure.Limits.defaults());
            if (s.limitHit()) log.info("queue id={} message structure hit a parser limit; parts beyond it are leaves", m.id());
            Envelope env = s.envelope();
            return new MessageSummary(s.toBytes(), env.decodedSubject(), env.displayFrom(), env.messageId(), env.inReplyTo());
        } catch (IOException e) {
            log.warn("queue id={} blob {} could not be read for the message summary, delivering without it: {}",
                    m.id(), m.blob().id(), e.toString());
        } catch (RuntimeException e) {
            log.error("queue id={} message parser failed, delivering without a summary", m.id(), e);
        }
        return null;
    }

    private static String summary(List<Spool.Disposition> out) {
        int local = 0, remote = 0, failed = 0;
        for (Spool.Disposition d : out) {
            switch (d) {
                case Spool.ToMailboxes t -> local += t.accountIds().size();
                case Spool.Remote r -> remote += r.addresses().size();
                case Spool.Failed f -> failed++;
            }
        }
        return "mailboxes=" + local + " remote=" + remote + " failed=" + failed;
    }

    @Override
    public void close() {
        running = false;
        wake();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
