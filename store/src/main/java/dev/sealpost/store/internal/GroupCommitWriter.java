package dev.sealpost.store.internal;

import dev.sealpost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single writer. Callers submit work and block until it is committed; the writer thread
 * drains whatever is waiting (up to {@link #MAX_BATCH}), runs each unit inside its own savepoint
 * in one transaction, commits once (one fsync for the whole batch: group commit) and then
 * completes every caller. A unit that throws is rolled back to its savepoint and only its caller
 * sees the exception; the others still commit (a batch of one needs no savepoint: its failure
 * rolls the whole transaction back). The writer's statements are prepared once and reused
 * ({@link StatementCache}).
 *
 * <p>When nothing is queued and no batch is running, the caller runs its work itself as a batch
 * of one, under the same lock, instead of handing it to the writer thread and waiting to be
 * woken: two thread switches fewer per commit for a lone client (docs/adr/0005). As soon as
 * commits overlap, work queues up and the writer thread batches it as before.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    static final int MAX_BATCH = 512;
    /** How long a write failing for lack of space counts as "the store is full" ({@link #recentlyFull()}). */
    static final long FULL_HINT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Task<T>(SqlWork<T> work, CompletableFuture<T> done) {}

    private final Database db;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong commits = new AtomicLong();
    /** System.nanoTime() of the last write that failed for lack of space; 0 after a commit. */
    private volatile long fullAt;
    private final Thread thread;
    /** Work handed to the writer thread and not yet run; callers run their own work only at 0. */
    private final AtomicInteger handedOver = new AtomicInteger();
    /** Held while a batch runs, by the writer thread or by a caller running its own work. */
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean stopping;
    /** Set (under {@link #running}) once the connection is closed. */
    private boolean closed;
    private Connection conn;
    private StatementCache statements;
    /** Set after a failed batch: check the connection before the next one (not on every batch: a round trip on PostgreSQL). */
    private boolean suspect;

    public GroupCommitWriter(Database db) throws SQLException {
        this.db = db;
        this.conn = db.openWriter();
        this.statements = new StatementCache(conn);
        this.thread = Thread.ofPlatform().name("sealpost-store-writer").daemon(true).unstarted(this::loop);
        thread.start();
    }

    /** Work queued for the writer thread and not yet run (for tests). */
    int handedOver() {
        return handedOver.get();
    }

    /** Number of committed transactions. */
    public long commitCount() {
        return commits.get();
    }

    /** True when a write failed for lack of space within {@link #FULL_HINT_NANOS} and none committed since. */
    public boolean recentlyFull() {
        long at = fullAt;
        return at != 0 && System.nanoTime() - at < FULL_HINT_NANOS;
    }

    /**
     * Runs {@code work} in the writer's transaction and returns once it is committed.
     * Unchecked exceptions thrown by the work are rethrown as they are; SQL failures become
     * {@link StoreException}.
     */
    public <T> T write(SqlWork<T> work) {
        if (stopping) throw new StoreException("store is closed");
        CompletableFuture<T> f = new CompletableFuture<>();
        // handedOver (not the queue) decides: the writer thread takes work off the queue before it
        // has the lock, and a caller must not slip in ahead of that batch each time
        if (handedOver.get() == 0 && running.tryLock()) {
            // idle writer: run it here (a batch of one), no hand-off to the writer thread
            try {
                if (closed) throw new StoreException("store is closed");
                runLocked(List.of(new Task<>(work, f)));
            } finally {
                running.unlock();
            }
        } else {
            handedOver.incrementAndGet();
            queue.add(new Task<>(work, f));
            if (!thread.isAlive()) failQueued(); // closed between the check and the add
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the work may still commit: the caller must treat the outcome as unknown
            throw new StoreException("interrupted while waiting for the commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (StoreException.kindOf(cause) == StoreException.Kind.FULL) fullAt = Math.max(1, System.nanoTime());
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            if (cause instanceof SQLException se) throw new StoreException("database write failed: " + se.getMessage(), se);
            throw new StoreException("database write failed", cause);
        }
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>();
        while (true) {
            try {
                Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping && queue.isEmpty()) break;
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                running.lock();
                try {
                    runLocked(batch);
                } finally {
                    running.unlock();
                    handedOver.addAndGet(-batch.size());
                }
            } catch (InterruptedException e) {
                if (stopping) break;
            } finally {
                batch.clear();
            }
        }
        running.lock();
        try {
            closed = true;
            statements.close();
            Database.closeQuietly(conn);
        } finally {
            running.unlock();
        }
    }

    /** Runs one batch with the statement cache bound to this thread; every task ends completed. Holds {@link #running}. */
    private void runLocked(List<Task<?>> batch) {
        Sql.bindCache(statements);
        try {
            runBatch(batch);
        } catch (Throwable t) {
            Throwable cause = t instanceof TransactionLost lost ? lost.getCause() : t;
            if (StoreException.kindOf(cause) == StoreException.Kind.FULL) {
                // not a bug: one line, no stack (the callers report it: SMTP 452 4.3.1)
                LOG.warn("store writer: batch of {} failed, storage full: {}", batch.size(), cause.toString());
            } else {
                LOG.error("store writer: batch of {} failed", batch.size(), cause);
            }
            for (Task<?> task : batch) task.done().completeExceptionally(cause);
        } finally {
            Sql.bindCache(null);
        }
    }

    private void runBatch(List<Task<?>> batch) throws SQLException {
        ensureConnection();
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            begin();
            if (batch.size() == 1) {
                try {
                    results[0] = batch.getFirst().work().run(conn);
                } catch (Exception e) {
                    // nothing else in this transaction: undo it all (an Error is undone below)
                    rollbackQuietly();
                    if (sqlFailure(e)) resetStatements();
                    complete(batch.getFirst(), null, e);
                    return;
                }
            } else {
                for (int i = 0; i < batch.size(); i++) {
                    execute("SAVEPOINT unit");
                    try {
                        results[i] = batch.get(i).work().run(conn);
                        execute("RELEASE SAVEPOINT unit");
                    } catch (Exception e) {
                        failures[i] = e;
                        if (sqlFailure(e)) resetStatements();
                        try {
                            execute("ROLLBACK TO SAVEPOINT unit");
                            execute("RELEASE SAVEPOINT unit");
                        } catch (SQLException rb) {
                            // SQLite may roll the whole transaction back on SQLITE_FULL or an I/O
                            // error: the earlier units are gone too, so the whole batch fails, with
                            // this unit's cause (the savepoint's failure only a follow-up)
                            e.addSuppressed(rb);
                            throw new TransactionLost(e);
                        }
                    }
                }
            }
            commit();
            commits.incrementAndGet();
            fullAt = 0;
        } catch (SQLException e) {
            suspect = true;
            rollbackQuietly();
            resetStatements();
            throw e;
        } catch (TransactionLost e) {
            suspect = true;
            rollbackQuietly();
            resetStatements();
            throw e;
        } catch (RuntimeException | Error e) {
            // a unit's Error (or a failed savepoint statement): leave no transaction open for the next batch
            rollbackQuietly();
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results[i], failures[i]);
    }

    /** The whole transaction of a batch was lost by one unit's failure ({@link #getCause()}). */
    private static final class TransactionLost extends RuntimeException {
        TransactionLost(Exception cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    /** True when {@code e} is (or is caused by) a database failure, as opposed to a unit's own refusal. */
    private static boolean sqlFailure(Throwable e) {
        for (int depth = 0; e != null && depth < 16; e = e.getCause(), depth++) {
            if (e instanceof SQLException) return true;
        }
        return false;
    }

    /**
     * Closes every cached statement after a failed unit or batch: SQLite finalizes a statement
     * whose step failed (SQLITE_FULL, SQLITE_IOERR), and a broken statement left in the cache
     * failed every later unit with "statement is not executing" until a restart. Rare, so
     * re-preparing the few statements of the next unit costs nothing that matters.
     */
    private void resetStatements() {
        statements.close();
        statements = new StatementCache(conn);
        Sql.bindCache(statements);
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result, Throwable failure) {
        if (failure != null) task.done().completeExceptionally(failure);
        else task.done().complete((T) result);
    }

    /** Runs a statement without parameters or results through the statement cache. */
    private void execute(String sql) throws SQLException {
        var ps = Sql.prepare(conn, sql);
        try {
            ps.execute();
        } catch (SQLException | RuntimeException e) {
            Sql.discard(conn, ps, e);
            throw e;
        }
        Sql.release(conn, ps);
    }

    private void begin() throws SQLException {
        String sql = db.dialect().beginWrite();
        if (sql != null) execute(sql);
    }

    private static final io.micrometer.core.instrument.Timer COMMIT_TIME = dev.sealpost.core.metrics.Meters.histogramTimer(
            dev.sealpost.core.metrics.Meters.STORE_COMMIT, "Store write transactions: time of the durable commit (group commit)");

    private void commit() throws SQLException {
        long start = System.nanoTime();
        if (db.dialect() == Dialect.SQLITE) {
            execute("COMMIT");
        } else {
            conn.commit();
        }
        COMMIT_TIME.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void rollbackQuietly() {
        try {
            if (db.dialect() == Dialect.SQLITE) {
                if (!conn.getAutoCommit()) conn.rollback();
                try (Statement st = conn.createStatement()) {
                    st.execute("ROLLBACK");
                }
            } else {
                conn.rollback();
            }
        } catch (SQLException e) {
            // "no transaction is active" after a failed BEGIN; or a broken connection, replaced next time
            suspect = true;
            LOG.debug("store writer: rollback: {}", e.getMessage());
        }
    }

    private void ensureConnection() throws SQLException {
        if (conn != null && (!suspect || conn.isValid(2))) {
            suspect = false;
            return;
        }
        LOG.warn("store writer: connection to {} lost, reconnecting", db.describe());
        statements.close();
        Database.closeQuietly(conn);
        conn = null;
        conn = db.openWriter();
        statements = new StatementCache(conn);
        Sql.bindCache(statements);
        suspect = false;
    }

    /** Finishes queued work, then stops the thread and closes the connection. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }

    private void failQueued() {
        Task<?> t;
        while ((t = queue.poll()) != null) {
            handedOver.decrementAndGet();
            t.done().completeExceptionally(new StoreException("store is closed"));
        }
    }
}
