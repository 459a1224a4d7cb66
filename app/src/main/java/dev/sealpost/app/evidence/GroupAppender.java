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
        final EvidenceRecord record;
        EvidenceLog.Appended result;
        IOException failure;
        boolean finished;

        Pending(EvidenceRecord record) {
            this.record = record;
        }
    }

    GroupAppender(EvidenceLog log) {
        this.log = log;
    }

    /** Appends {@code record}; durable (fsync'd with its leaf) when this returns. */
    EvidenceLog.Appended append(EvidenceRecord record) throws IOException {
        Pending p = new Pending(record);
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
        return p.result;
    }

    private void commit(List<Pending> batch) {
        List<EvidenceRecord> records = new ArrayList<>(batch.size());
        for (Pending p : batch) records.add(p.record);
        try {
            List<EvidenceLog.Appended> out = log.appendAll(records);
            for (int i = 0; i < batch.size(); i++) batch.get(i).result = out.get(i);
        } catch (IOException e) {
            for (Pending p : batch) p.failure = e;
        } catch (RuntimeException e) {
            for (Pending p : batch) p.failure = new IOException(e.toString(), e);
        }
        for (Pending p : batch) p.finished = true;
    }
}
