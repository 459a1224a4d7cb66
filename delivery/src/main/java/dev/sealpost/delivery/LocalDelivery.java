package dev.sealpost.delivery;

import dev.sealpost.core.metrics.Meters;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.Directory;
import dev.sealpost.store.FilterMark;
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
    /** How long {@link Spool#enqueueOnce} keys are kept: also the least time between two error reports for one script version. */
    static final Duration SEND_KEY_RETENTION = Duration.ofDays(30);

    private final Store store;
    private final Semaphore wake = new Semaphore(0);
    private final Duration pollInterval;
    private volatile boolean running;
    private Thread thread;

    private final ReportIntake reports;
    private final SieveFilter sieve;
    /** How long the filter's quarantine keeps a message ({@code filter.quarantine_days}). */
    private volatile Duration quarantineRetention = Duration.ofDays(30);
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private volatile java.time.Instant nextPurge = java.time.Instant.MIN;

    public LocalDelivery(Store store, Duration pollInterval) {
        this(store, pollInterval, null);
    }

    /** Without Sieve: every local copy goes to INBOX (or the folder asked for at acceptance). */
    public LocalDelivery(Store store, Duration pollInterval, ReportIntake reports) {
        this(store, pollInterval, reports, null);
    }

    /**
     * @param reports reads DMARC and TLS-RPT reports out of mail to the report mailboxes before it is
     *                delivered as usual (config {@code auth.report_mailboxes}), or null
     * @param sieve   runs each recipient account's active Sieve script (RFC 5228), or null for none
     */
    public LocalDelivery(Store store, Duration pollInterval, ReportIntake reports, SieveFilter sieve) {
        this(store, pollInterval, reports, sieve, null);
    }

    /**
     * @param forwarder sends alias expansions to other domains on with an SRS sender ({@link Forwarder#alias}),
     *                  or null to hand them to the outbound queue with the original sender
     */
    public LocalDelivery(Store store, Duration pollInterval, ReportIntake reports, SieveFilter sieve, Forwarder forwarder) {
        this.store = store;
        this.pollInterval = pollInterval;
        this.reports = reports;
        this.sieve = sieve;
        this.forwarder = forwarder;
    }

    private final Forwarder forwarder;
    /** Lists (docs/lists.md): takes list addresses over before the directory look-up, or null. */
    private volatile RecipientHook recipientHook;

    /** Lets {@code hook} take local recipients over before the directory look-up (the list engine); call before {@link #start()}. */
    public LocalDelivery withRecipientHook(RecipientHook hook) {
        this.recipientHook = hook;
        return this;
    }
    /**
     * Sets how long quarantined messages are kept ({@code filter.quarantine_days}) and the clock of
     * their expiry and of the hourly purge; call before {@link #start()}.
     */
    public LocalDelivery withQuarantine(Duration retention, java.time.Clock clock) {
        this.quarantineRetention = retention;
        this.clock = clock;
        return this;
    }

    /** Deletes expired quarantine entries, at most once an hour (from the delivery loop). */
    private void purgeQuarantine() {
        java.time.Instant now = clock.instant();
        if (now.isBefore(nextPurge)) return;
        nextPurge = now.plus(Duration.ofHours(1));
        int n = store.quarantine().purge(now);
        if (n > 0) log.info("quarantine: {} expired message(s) deleted", n);
        // the keys that make Sieve's sends exactly once (V17): a redo comes within minutes; error
        // reports are sent again for a script version still failing after this long
        int k = store.spool().purgeSendKeys(now.minus(SEND_KEY_RETENTION));
        if (k > 0) log.info("sieve: {} old send key(s) forgotten", k);
    }

    /** Told of every message filed into mailboxes (the evidence log), or null. */
    private volatile DeliveryListener deliveryListener;

    /** Tells {@code l} of every message filed into local mailboxes, after the spool recorded it; null for none. */
    public LocalDelivery onDelivered(DeliveryListener l) {
        this.deliveryListener = l;
        return this;
    }

    private void notifyDelivered(Spool.QueuedMessage m, List<Spool.Disposition> out) {
        DeliveryListener l = deliveryListener;
        if (l == null) return;
        List<String> filed = new ArrayList<>();
        for (Spool.Disposition d : out) {
            boolean filedHere = d instanceof Spool.ToMailboxes || (d instanceof Spool.ToFolders f && !f.copies().isEmpty());
            if (!filedHere) continue;
            for (Spool.QueuedRecipient r : m.recipients()) {
                if (r.id() == d.recipientId() && !filed.contains(r.address())) filed.add(r.address());
            }
        }
        if (filed.isEmpty()) return;
        try {
            l.delivered(m, filed);
        } catch (RuntimeException e) {
            log.error("queue id={} delivery listener failed", m.id(), e);
        }
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
                purgeQuarantine();
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
        SieveFilter.Parsed[] parsed = new SieveFilter.Parsed[1]; // the message, parsed once when a script needs it
        FilterMark mark = filterMark(m);
        byte[][] held = new byte[1][]; // the message's octets, read once when it is quarantined
        for (Spool.QueuedRecipient r : m.recipients()) {
            if (r.state() != Spool.RecipientState.PENDING) continue;
            Optional<EmailAddress> addr = EmailAddress.parse(r.address());
            if (addr.isEmpty()) {
                out.add(new Spool.Failed(r.id(), "553 5.1.3 bad recipient address syntax"));
                continue;
            }
            String domain = addr.get().domain();
            if (!dir.isLocalDomain(domain)) {
                if (mark != null && mark.quarantined()) {
                    // held outgoing mail (a compromised-looking account at submission), or a quarantined
                    // message to an SRS-reversed address: kept in the quarantine, not sent; release queues it
                    if (held[0] == null) held[0] = content(m);
                    hold(m, addr.get().toString(), 0, mark, held[0]);
                    out.add(new Spool.ToMailboxes(r.id(), List.of()));
                    continue;
                }
                out.add(new Spool.Remote(r.id(), List.of(addr.get().toString())));
                continue;
            }
            RecipientHook hook = recipientHook;
            if (hook != null) {
                Optional<Spool.Disposition> taken = hook.handle(m, r, addr.get());
                if (taken.isPresent()) {
                    out.add(taken.get());
                    continue;
                }
            }
            Directory.Resolution res = dir.resolve(addr.get());
            Set<Long> accounts = new LinkedHashSet<>();
            java.util.Map<Long, String> accountAddress = new java.util.HashMap<>();
            res.accounts().forEach(a -> {
                accounts.add(a.id());
                accountAddress.put(a.id(), a.address());
            });
            // our own Sieve error reports go straight to INBOX: no script runs on them (no report about a report)
            boolean report = Forwarder.REPORT_SESSION.equals(m.envelope().sessionId()) && m.envelope().mailFrom().isEmpty();
            if (accounts.isEmpty() && res.remoteAddresses().isEmpty()) {
                // the account went away between RCPT and delivery
                out.add(new Spool.Failed(r.id(), "550 5.1.1 user unknown"));
                continue;
            }
            if (mark != null && mark.quarantined()) {
                // accepted with "250", never in a mailbox: held with the verdict until released or expired
                if (held[0] == null) held[0] = content(m);
                for (long account : accounts) {
                    hold(m, r.address(), account, mark, held[0]);
                    out.add(new Spool.ToFolders(r.id(), account, List.of()));
                }
                for (String remote : res.remoteAddresses()) hold(m, remote, 0, mark, held[0]);
                if (accounts.isEmpty()) out.add(new Spool.ToMailboxes(r.id(), List.of()));
                continue;
            }
            if (!accounts.isEmpty()) {
                List<Long> plain = new ArrayList<>();
                for (long account : accounts) {
                    List<SieveFilter.Step> scripts = sieve == null || report ? List.of()
                            : sieve.scripts(account, accountAddress.getOrDefault(account, r.address()));
                    if (scripts.isEmpty()) {
                        plain.add(account);
                        continue;
                    }
                    if (parsed[0] == null) parsed[0] = parse(m);
                    boolean alone = accounts.size() == 1 && res.remoteAddresses().isEmpty();
                    out.add(marked(filtered(m, r, account, accountAddress.getOrDefault(account, r.address()), scripts, parsed[0], alone), mark));
                }
                if (!plain.isEmpty() && mark != null && mark.phishing()) {
                    // a lookalike or spoofed sender, or a phishing link: the keyword on each copy
                    for (long account : plain) {
                        out.add(new Spool.ToFolders(r.id(), account, List.of(new Spool.Copy(null, List.of(FilterMark.PHISHING_KEYWORD)))));
                    }
                } else if (!plain.isEmpty()) {
                    out.add(new Spool.ToMailboxes(r.id(), List.copyOf(plain)));
                }
            }
            if (!res.remoteAddresses().isEmpty()) {
                out.add(forwarder == null ? new Spool.Remote(r.id(), res.remoteAddresses())
                        : forwarder.alias(m, r, domain, res.remoteAddresses())); // SRS (docs/srs.md)
            }
        }
        if (out.isEmpty()) return;
        takeReports(m);
        MessageSummary summary = out.stream().anyMatch(d -> d instanceof Spool.ToMailboxes) ? summarize(m) : null;
        store.spool().complete(m.id(), out, summary);
        countSettled(out);
        log.info("queue id={} delivered: {}", m.id(), summary(out));
        notifyDelivered(m, out);
    }

    /**
     * The filter's verdict the MX wrote above its Received field (trusted: the MX removes every
     * copy that arrives from outside), or null (also when the blob cannot be read).
     */
    private FilterMark filterMark(Spool.QueuedMessage m) {
        try (InputStream in = store.blobs().open(m.blob().id())) {
            return FilterMark.read(in).orElse(null);
        } catch (IOException e) {
            // as for the summary: a blob that cannot be read must not hold the mail back (there is
            // nothing to quarantine either); it is delivered as usual
            log.warn("queue id={} blob {} could not be read for the filter verdict, delivering as usual: {}", m.id(), m.blob().id(), e.toString());
            return null;
        }
    }

    private byte[] content(Spool.QueuedMessage m) {
        try (InputStream in = store.blobs().open(m.blob().id())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new dev.sealpost.store.StoreException("reading queued message " + m.id() + " for the quarantine: " + e.getMessage(), e);
        }
    }

    /** Holds one recipient's copy in the quarantine (once: a redo after a crash holds nothing twice). */
    private void hold(Spool.QueuedMessage m, String recipient, long account, FilterMark mark, byte[] content) {
        Envelope env = null;
        try {
            env = MessageStructure.parse(content).envelope();
        } catch (RuntimeException e) {
            log.warn("queue id={} quarantined message not parsed for its subject: {}", m.id(), e.toString());
        }
        java.time.Instant received = m.envelope().receivedAt();
        boolean added = store.quarantine().hold(new dev.sealpost.store.Quarantine.NewEntry(m.id(), account, recipient,
                m.envelope().mailFrom(), env == null ? null : env.displayFrom(), env == null ? null : env.decodedSubject(),
                mark.action(), score(mark.score()), mark.hits(), m.envelope().sessionId(), content,
                received, received.plus(quarantineRetention)));
        log.info("queue id={} quarantined for {} (account {}): score={}{}", m.id(), recipient, account,
                score(mark.score()), added ? "" : " (already held)");
    }

    private static String score(double d) {
        java.math.BigDecimal b = java.math.BigDecimal.valueOf(Math.round(d * 100.0) / 100.0).stripTrailingZeros();
        return (b.scale() < 1 ? b.setScale(1) : b).toPlainString();
    }

    /** A Sieve outcome with the filter's marks: {@code $Phishing} on each copy; a junk verdict leaves the keep to the script. */
    private static Spool.Disposition marked(Spool.Disposition d, FilterMark mark) {
        if (mark == null || !(d instanceof Spool.ToFolders tf)) return d;
        List<Spool.Copy> copies = new ArrayList<>();
        for (Spool.Copy c : tf.copies()) {
            List<String> flags = new ArrayList<>(c.flags());
            if (mark.phishing() && !flags.contains(FilterMark.PHISHING_KEYWORD)) flags.add(FilterMark.PHISHING_KEYWORD);
            // the script decides where spam goes (it reads the score through spamtest): its keep is the INBOX
            String box = c.mailbox() == null && mark.junk() ? "INBOX" : c.mailbox();
            copies.add(new Spool.Copy(box, flags, c.blob())); // an edited copy (RFC 5293) keeps its content
        }
        return new Spool.ToFolders(tf.recipientId(), tf.accountId(), copies);
    }

    /** Reads and parses the message for the Sieve scripts of its recipients. */
    private SieveFilter.Parsed parse(Spool.QueuedMessage m) {
        try (InputStream in = store.blobs().open(m.blob().id())) {
            return SieveFilter.parse(in.readAllBytes(), m.envelope().mailFrom(), m.envelope().authUser());
        } catch (IOException e) {
            // the blob cannot be read now: the message stays pending and is retried
            throw new dev.sealpost.store.StoreException("reading queued message " + m.id() + " for Sieve: " + e.getMessage(), e);
        }
    }

    /**
     * One account's share of a recipient after its Sieve script: the copies it asked for, or a
     * refusal for reject. Errors are logged and never lose the message (implicit keep in INBOX).
     *
     * @param alone the recipient reaches this account only, so a reject can refuse the recipient
     */
    private Spool.Disposition filtered(Spool.QueuedMessage m, Spool.QueuedRecipient r, long account, String accountAddress,
                                       List<SieveFilter.Step> scripts, SieveFilter.Parsed parsed, boolean alone) {
        SieveFilter.Plan p = sieve.plan(scripts, account, parsed, r.address(), accountAddress);
        for (String e : p.errors()) log.warn("queue id={} account={} sieve: {}", m.id(), account, e);
        if (p.reject() != null) {
            // RFC 5429 §2.1: refuse; our DSN for the failed recipient carries the reason. Never to the
            // null sender (no bounce to a bounce), nor for one of several accounts of an alias
            if (alone && !m.envelope().mailFrom().isEmpty()) {
                log.info("queue id={} account={} sieve: rejected", m.id(), account);
                return new Spool.Failed(r.id(), "550 5.7.1 " + oneLine(p.reject()));
            }
            log.warn("queue id={} account={} sieve: reject not possible here (null sender or shared recipient); kept", m.id(), account);
            return new Spool.ToFolders(r.id(), account, List.of(new Spool.Copy(null, List.of())));
        }
        sendOn(m, r, account, accountAddress, parsed, p);
        log.info("queue id={} account={} sieve scripts {}: {} copies", m.id(), account,
                scripts.stream().map(SieveFilter.Step::name).toList(), p.copies().size());
        return new Spool.ToFolders(r.id(), account, p.copies());
    }

    /**
     * The plan's redirects (RFC 5228 §4.2), vacation replies (RFC 5230), notifications (RFC 5436)
     * and error report, each a new spool message queued once under a key naming this delivery
     * and the action ({@link Spool#enqueueOnce}): when the delivery is redone after a crash between
     * here and the spool's commit, nothing is sent twice. A redirect that cannot be stored leaves
     * the whole message pending (retried); the others are only logged (the mail itself is delivered).
     */
    private void sendOn(Spool.QueuedMessage m, Spool.QueuedRecipient r, long account, String accountAddress,
                        SieveFilter.Parsed parsed, SieveFilter.Plan p) {
        Forwarder f = sieve.forwarder();
        if (f == null) return;
        String base = m.id() + ":" + account + ":";
        for (SieveFilter.Redirect rd : p.redirects()) {
            String to = rd.address();
            try {
                byte[] content = rd.content() != null ? rd.content() : SieveFilter.content(parsed);
                var q = f.redirect("redirect:" + base + to.toLowerCase(java.util.Locale.ROOT), m.envelope(), content, r.address(), to);
                if (q.isPresent()) log.info("queue id={} account={} sieve: redirected to {} as queue id={}", m.id(), account, to, q.getAsLong());
                else log.info("queue id={} account={} sieve: redirect to {} was queued before (redo)", m.id(), account, to);
            } catch (IOException e) {
                throw new dev.sealpost.store.StoreException("storing the redirect of " + m.id() + ": " + e.getMessage(), e);
            }
        }
        int i = 0;
        for (dev.sealpost.sieve.run.Action.Vacation v : p.vacations()) {
            try {
                var q = f.vacation("vacation:" + base + (i++), account, v);
                if (q.isPresent()) log.info("queue id={} account={} sieve: vacation reply to {} as queue id={}", m.id(), account, v.to(), q.getAsLong());
            } catch (IOException | RuntimeException e) {
                log.warn("queue id={} account={} sieve: vacation reply to {} not sent: {}", m.id(), account, v.to(), e.toString());
            }
        }
        i = 0;
        for (SieveFilter.Notification n : p.notifications()) {
            try {
                var q = f.notification("notify:" + base + (i++), n);
                if (q.isPresent()) log.info("queue id={} account={} sieve: notification to {} as queue id={}", m.id(), account, n.to(), q.getAsLong());
            } catch (IOException | RuntimeException e) {
                log.warn("queue id={} account={} sieve: notification to {} not sent: {}", m.id(), account, n.to(), e.toString());
            }
        }
        if (p.report() != null) {
            try {
                // once per script version (and send-key retention): not a report for every message it fails on
                var q = f.report("report:" + account + ":" + p.report().version(), accountAddress, p.report());
                if (q.isPresent()) log.info("queue id={} account={} sieve: error report for script {} as queue id={}", m.id(), account,
                        p.report().script(), q.getAsLong());
            } catch (IOException | RuntimeException e) {
                log.warn("queue id={} account={} sieve: error report not filed: {}", m.id(), account, e.toString());
            }
        }
    }

    /** A reject reason as one printable line of at most 200 characters for the DSN. */
    static String oneLine(String s) {
        String t = s.replaceAll("[\\x00-\\x1f\\x7f]+", " ").strip();
        if (t.isEmpty()) t = "Rejected by the recipient's filter";
        return t.length() > 200 ? t.substring(0, 200) : t;
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
                case Spool.ToFolders t -> local++;
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
