package dev.sealpost.store.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * SQLite only: copies the write-ahead log back into the database file on a thread of its own, so
 * that the store writer (which every "250" waits for) only appends to the WAL. Without it SQLite
 * runs that checkpoint inside the writer's commit every 1,000 pages (docs/benchmarks.md).
 *
 * <p>Checkpoints are {@code PASSIVE} (never block the writer or readers), run when the writer has
 * committed since the last one, at most every {@link #INTERVAL_MS} ms. When the WAL file still
 * grows past {@link #TRUNCATE_BYTES} (a passive checkpoint never catches up while the writer is
 * busy, so SQLite cannot start the log again from its beginning) one {@code TRUNCATE} checkpoint
 * waits for the writer and readers to pause, at most {@link #TRUNCATE_BUSY_TIMEOUT_MS} ms (new
 * writers wait while it is pending), else it is tried again at the next round; when it succeeds
 * the WAL starts again from empty and its disk space is returned. The writer keeps SQLite's automatic checkpoint as a
 * safety net at {@link #WRITER_AUTOCHECKPOINT_PAGES} pages. Durability is unchanged: a commit is
 * durable once its WAL frames are synced (synchronous=FULL); the checkpoint only moves them.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    static final long INTERVAL_MS = 50;
    static final long TRUNCATE_BYTES = 64L * 1024 * 1024;
    static final int WRITER_AUTOCHECKPOINT_PAGES = 32_768;
    /**
     * How long a TRUNCATE checkpoint may wait for readers: new writers wait while it is pending,
     * so it gives up soon rather than hold up a "250", and is not tried again for
     * {@link #TRUNCATE_BACKOFF_MS} ms (a long read can keep it busy).
     */
    static final int TRUNCATE_BUSY_TIMEOUT_MS = 100;
    static final long TRUNCATE_BACKOFF_MS = 5_000;

    private final Database db;
    private final GroupCommitWriter writer;
    private final Path wal;
    private final long truncateBytes;
    private final Thread thread;
    private volatile boolean stopping;

    WalCheckpointer(Database db, GroupCommitWriter writer, Path databaseFile) {
        this(db, writer, databaseFile, TRUNCATE_BYTES);
    }

    /** @param truncateBytes WAL size above which a TRUNCATE checkpoint is tried (tests use small ones) */
    WalCheckpointer(Database db, GroupCommitWriter writer, Path databaseFile, long truncateBytes) {
        this.truncateBytes = truncateBytes;
        this.db = db;
        this.writer = writer;
        this.wal = databaseFile.resolveSibling(databaseFile.getFileName() + "-wal");
        writer.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint = " + WRITER_AUTOCHECKPOINT_PAGES);
            }
            return null;
        });
        this.thread = Thread.ofPlatform().name("sealpost-store-checkpoint").daemon(true).unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        long done = writer.commitCount();
        long truncateAfter = System.nanoTime();
        Connection c = null;
        while (!stopping) {
            try {
                TimeUnit.MILLISECONDS.sleep(INTERVAL_MS);
                long commits = writer.commitCount();
                boolean truncate = walBytes() > truncateBytes && System.nanoTime() - truncateAfter >= 0;
                if (commits == done && !truncate) continue; // idle, and no TRUNCATE owed
                if (c == null) {
                    c = db.openWriter();
                    try (Statement st = c.createStatement()) {
                        st.execute("PRAGMA busy_timeout = " + TRUNCATE_BUSY_TIMEOUT_MS);
                    }
                }
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + (truncate ? "TRUNCATE" : "PASSIVE") + ")")) {
                    if (truncate && rs.next() && rs.getInt(1) != 0) {
                        LOG.debug("store checkpoint: TRUNCATE was busy, trying again in {} ms", TRUNCATE_BACKOFF_MS);
                        truncateAfter = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TRUNCATE_BACKOFF_MS);
                    }
                }
                done = commits;
            } catch (InterruptedException e) {
                if (stopping) break;
            } catch (SQLException | RuntimeException e) {
                // the writer's own automatic checkpoint still bounds the WAL; try again with a new connection
                LOG.warn("store checkpoint failed: {}", e.getMessage());
                Database.closeQuietly(c);
                c = null;
            }
        }
        Database.closeQuietly(c);
    }

    private long walBytes() {
        try {
            return Files.size(wal);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
