package dev.sealpost.app.evidence;

import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.record.EvidenceRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the evidence log: sessions that append at the same time share one
 * {@link EvidenceLog#appendAll} (one fsync per file). The first waiting caller commits the batch
 * that has gathered (leader/follower); the others wait for their result.
 */
final class GroupAppender {
    private final EvidenceLog log;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private List<Pending> waiting = new ArrayList<>();
    private boolean committing;

    private static final class Pending {
        /** Signed (and, when the log stamps each record, time-stamped) by the caller's thread, in parallel with the others. */
        final List<EvidenceLog.Prepared> records;
        List<EvidenceLog.Appended> results;
        IOException failure;
        boolean finished;

        Pending(List<EvidenceLog.Prepared> records) {
            this.records = records;
        }
    }

    private final java.util.function.Function<EvidenceRecord, dev.sealpost.evidence.sign.Ed25519Key> signer;

    GroupAppender(EvidenceLog log) {
        this(log, r -> log.key());
    }

    /** With {@code signer} choosing each record's key (its domain's record key, or the log key). */
    GroupAppender(EvidenceLog log, java.util.function.Function<EvidenceRecord, dev.sealpost.evidence.sign.Ed25519Key> signer) {
        this.log = log;
        this.signer = signer;
    }

    /** Appends {@code record}; durable (fsync'd with its leaf) when this returns. */
    EvidenceLog.Appended append(EvidenceRecord record) throws IOException {
        return appendAll(List.of(record)).getFirst();
    }

    /** Appends {@code records} in order, next to each other; durable when this returns. */
    List<EvidenceLog.Appended> appendAll(List<EvidenceRecord> records) throws IOException {
        // signing (and a per-record stamp) is the costly part of a record: done here, beside the other sessions, not in the batch
        List<EvidenceLog.Prepared> prepared = new ArrayList<>();
        for (EvidenceRecord r : records) prepared.add(log.prepare(r, signer.apply(r)));
        Pending p = new Pending(prepared);
        lock.lock();
        try {
            waiting.add(p);
            while (!p.finished) {
                if (committing) {
                    done.awaitUninterruptibly();
                    continue;
                }
                committing = true;
                List<Pending> batch = waiting;
                waiting = new ArrayList<>();
                lock.unlock();
                try {
                    commit(batch);
                } finally {
                    lock.lock();
                    committing = false;
                    done.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (p.failure != null) throw new IOException("evidence log append failed: " + p.failure.getMessage(), p.failure);
        return p.results;
    }

    private void commit(List<Pending> batch) {
        List<EvidenceLog.Prepared> records = new ArrayList<>();
        for (Pending p : batch) records.addAll(p.records);
        try {
            List<EvidenceLog.Appended> out = log.appendPrepared(records);
            int at = 0;
            for (Pending p : batch) {
                p.results = List.copyOf(out.subList(at, at + p.records.size()));
                at += p.records.size();
            }
        } catch (IllegalArgumentException e) {
            // one caller's record was refused (a duplicate id) and nothing was appended: the others go alone
            if (batch.size() == 1) {
                batch.getFirst().failure = new IOException(e.getMessage(), e);
            } else {
                for (Pending p : batch) commit(List.of(p));
            }
        } catch (IOException e) {
            for (Pending p : batch) p.failure = e;
        } catch (RuntimeException e) {
            for (Pending p : batch) p.failure = new IOException(e.toString(), e);
        }
        for (Pending p : batch) p.finished = true;
    }
}
