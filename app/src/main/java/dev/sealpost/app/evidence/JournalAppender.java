package dev.sealpost.app.evidence;

import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.store.EvidenceJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Moves evidence records from the store's journal (committed with the acceptance they attest,
 * before its "250") into the Merkle log, in the journal's order, off the acceptance path: one
 * thread, batches of up to {@link #BATCH} records with one log fsync each; the journal rows are
 * deleted afterwards (at most every {@link #REMOVE_EVERY}). At start, {@link #recover} appends
 * whatever a crash left in the journal. A journal row whose record id the log already holds was
 * appended before a crash that came before its deletion: it is skipped, so every record is in
 * the log exactly once (docs/evidence.md "One durable round trip").
 *
 * <p>The journal's order is the store's commit order because the store has one writer
 * (GroupCommitWriter); the evidence log has one writer too, so one server per store.
 */
final class JournalAppender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalAppender.class);
    static final int BATCH = 512;
    static final Duration REMOVE_EVERY = Duration.ofMillis(250);
    /**
     * After a wake-up, records of this long are gathered into one batch: one log fsync (and one
     * journal read) for all of them. The "250" does not wait for the log, so this costs no reply
     * latency; it keeps the log's fsyncs from competing with every spool commit for the disk.
     */
    static final long GATHER_MILLIS = 20;
    /** Records this process committed, by their canonical text: appended without parsing them back (a crash's rows are parsed). */
    private final java.util.concurrent.ConcurrentHashMap<String, EvidenceRecord> fresh = new java.util.concurrent.ConcurrentHashMap<>();

    private final EvidenceLog evidence;
    private final EvidenceJournal journal;
    private final Function<EvidenceRecord, Ed25519Key> signer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private boolean kicked;
    private volatile boolean closed;
    /** The journal's seq appended through (guarded by {@link #drainLock}). */
    private volatile long cursor;
    private long removedThrough;
    private long removedAt = System.nanoTime();
    private final ReentrantLock drainLock = new ReentrantLock();
    private Thread thread;

    JournalAppender(EvidenceLog evidence, EvidenceJournal journal, Function<EvidenceRecord, Ed25519Key> signer) {
        this.evidence = evidence;
        this.journal = journal;
        this.signer = signer;
    }

    /** Appends every record the journal holds (those a crash left); returns how many were appended. */
    int recover() throws IOException {
        int n = 0;
        while (true) {
            int[] r = drainOnce();
            n += r[1];
            if (r[0] == 0) break;
        }
        removeNow();
        return n;
    }

    /** Starts the background thread. */
    void start() {
        thread = Thread.ofPlatform().name("evidence-journal").daemon(true).start(this::loop);
    }

    /** {@code r} is about to be committed to the journal as {@code bytes} (its canonical bytes). */
    void committing(EvidenceRecord r, byte[] bytes) {
        if (fresh.size() > 100_000) fresh.clear();   // rows of rolled-back transactions are never read: bounded, parsed if needed
        fresh.put(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), r);
    }

    /** A record was committed to the journal: append it soon. */
    void kick() {
        lock.lock();
        try {
            kicked = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether every row committed to the journal so far is in the log. */
    boolean caughtUp() {
        return journal.after(cursor, 1).isEmpty();
    }

    /** Waits until the log holds record {@code id}; false on timeout. */
    boolean awaitInLog(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        kick();
        lock.lock();
        try {
            while (evidence.indexOf(id).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        long backoff = 0;
        while (!closed) {
            lock.lock();
            try {
                if (!kicked) wake.await(backoff > 0 ? backoff : REMOVE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                kicked = false;
            } catch (InterruptedException e) {
                if (closed) return;
            } finally {
                lock.unlock();
            }
            if (closed) return;
            try {
                Thread.sleep(GATHER_MILLIS);   // gather: the sessions' kicks meanwhile join this batch
            } catch (InterruptedException e) {
                if (closed) return;
            }
            lock.lock();
            try {
                kicked = false;
            } finally {
                lock.unlock();
            }
            try {
                while (!closed && drainOnce()[0] == BATCH) {
                    // a full batch: more may be waiting
                }
                if (System.nanoTime() - removedAt >= REMOVE_EVERY.toNanos()) removeNow();
                backoff = 0;
            } catch (IOException | RuntimeException e) {
                // the records stay in the journal (durable): retried, and appended at the latest at the next start
                log.error("evidence journal: appending to the log failed, retrying", e);
                backoff = Math.min(Math.max(backoff * 2, 100), 5000);
            }
        }
    }

    /** One batch: {rows read, records appended}. */
    private int[] drainOnce() throws IOException {
        drainLock.lock();
        try {
            List<EvidenceJournal.Entry> rows = journal.after(cursor, BATCH);
            if (rows.isEmpty()) return new int[] {0, 0};
            List<EvidenceRecord> records = new ArrayList<>();
            for (EvidenceJournal.Entry e : rows) {
                EvidenceRecord known = fresh.remove(new String(e.record(), java.nio.charset.StandardCharsets.UTF_8));
                if (known != null) {
                    if (evidence.indexOf(known.id()).isEmpty()) records.add(known);
                    continue;
                }
                switch (EvidenceRecord.parse(e.record())) {
                    case EvidenceRecord.Parsed p -> {
                        // appended before a crash that came before the row's deletion: in the log once already
                        if (evidence.indexOf(p.record().id()).isEmpty()) records.add(p.record());
                    }
                    case EvidenceRecord.Invalid i -> log.error("evidence journal row seq={} is not a record ({}); skipped", e.seq(), i.reason());
                }
            }
            // signing is the costly part: in parallel when the batch is large
            List<EvidenceLog.Prepared> prepared = (records.size() >= 8 ? records.parallelStream() : records.stream())
                    .map(r -> evidence.prepare(r, signer.apply(r))).toList();
            if (!prepared.isEmpty()) evidence.appendPrepared(prepared);
            cursor = rows.getLast().seq();
            lock.lock();
            try {
                progress.signalAll();
            } finally {
                lock.unlock();
            }
            return new int[] {rows.size(), prepared.size()};
        } finally {
            drainLock.unlock();
        }
    }

    private void removeNow() {
        drainLock.lock();
        try {
            removedAt = System.nanoTime();
            if (cursor <= removedThrough) return;
            journal.removeThrough(cursor);
            removedThrough = cursor;
        } finally {
            drainLock.unlock();
        }
    }

    /** Stops the thread, then appends what is left and empties the journal (a clean stop leaves none). */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            kick();   // not interrupt(): an interrupt during FileChannel I/O closes the log's files
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            log.error("evidence journal: records left for the next start", e);
        }
    }
}
