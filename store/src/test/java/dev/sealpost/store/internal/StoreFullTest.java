package dev.sealpost.store.internal;

import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A full database (SQLITE_FULL, here provoked with {@code PRAGMA max_page_count} on the writer's
 * connection, which fails exactly like a full disk without needing one): the failure is reported
 * as {@link StoreException.Kind#FULL} with SQLite's own cause, and the same writer works again as
 * soon as there is room (docs/reliability.md findings 1 and 2).
 */
class StoreFullTest {
    @TempDir
    Path dir;

    private Database database() throws Exception {
        Database db = new Database(StoreConfig.sqlite(dir));
        try (Connection c = db.openWriter(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
        }
        return db;
    }

    private static byte[] noise(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b); // incompressible: needs its pages
        return b;
    }

    /** Caps the database at its current size (plus {@code extraPages}): later growth fails with SQLITE_FULL. */
    private static void cap(GroupCommitWriter w, long extraPages) {
        w.write(c -> {
            long pages = Sql.one(c, "PRAGMA page_count", rs -> rs.getLong(1)).orElseThrow();
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA max_page_count = " + (pages + extraPages));
            }
            return null;
        });
    }

    private static void uncap(GroupCommitWriter w) {
        w.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA max_page_count = 1073741823");
            }
            return null;
        });
    }

    @Test
    void sqliteFullIsReportedAsFullWithItsCauseAndTheSameWriterRecovers() throws Exception {
        Database db = database();
        try (GroupCommitWriter w = new GroupCommitWriter(db)) {
            String insert = "INSERT INTO t (v) VALUES (?)";
            w.write(c -> Sql.update(c, insert, (Object) noise(100))); // the statement is cached now
            cap(w, 0);
            for (int attempt = 0; attempt < 3; attempt++) { // again and again: no "statement is not executing"
                StoreException e = catchThrowableOfType(StoreException.class,
                        () -> w.write(c -> Sql.update(c, insert, (Object) noise(256 * 1024))));
                assertThat(e).as("attempt %d", attempt).isNotNull();
                assertThat(e.kind()).isEqualTo(StoreException.Kind.FULL);
                assertThat(e.full()).isTrue();
                assertThat(e.getCause()).isInstanceOf(SQLException.class).hasMessageContaining("SQLITE_FULL");
                assertThat(e).hasMessageNotContaining("statement is not executing");
            }
            assertThat(w.recentlyFull()).isTrue(); // the hint SMTP uses to refuse at MAIL FROM
            // nothing half-written
            assertThat(db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM t", rs -> rs.getLong(1))).orElseThrow()).isEqualTo(1);

            uncap(w); // space returns
            assertThat(w.recentlyFull()).isFalse(); // a commit clears it
            assertThat((int) w.write(c -> Sql.update(c, insert, (Object) noise(256 * 1024)))).isEqualTo(1);
            assertThat((long) w.write(c -> Sql.insertId(c, insert, (Object) noise(10)))).isEqualTo(3);
            assertThat(db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM t", rs -> rs.getLong(1))).orElseThrow()).isEqualTo(3);
        } finally {
            db.close();
        }
    }

    @Test
    void aFullUnitInABatchOfManyFailsOnlyWhatWasLostAndTheWriterGoesOn() throws Exception {
        Database db = database();
        try (GroupCommitWriter w = new GroupCommitWriter(db)) {
            String insert = "INSERT INTO t (v) VALUES (?)";
            w.write(c -> Sql.update(c, insert, (Object) noise(100)));
            cap(w, 2);
            // several writers at once: some batches hold more than one unit
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < 16; i++) {
                int size = i % 2 == 0 ? 64 * 1024 : 50;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        w.write(c -> Sql.update(c, insert, (Object) noise(size)));
                        ok.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertThat(failures).isNotEmpty().allSatisfy(t -> {
                assertThat(t).isInstanceOf(StoreException.class);
                assertThat(((StoreException) t).kind()).isEqualTo(StoreException.Kind.FULL);
            });
            long rows = db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM t", rs -> rs.getLong(1))).orElseThrow();
            assertThat(rows).isEqualTo(1 + ok.get()); // every success committed, every failure left nothing

            uncap(w);
            assertThat((int) w.write(c -> Sql.update(c, insert, (Object) noise(64 * 1024)))).isEqualTo(1);
        } finally {
            db.close();
        }
    }

    @Test
    void fullIsRecognisedInTheCauseChain() {
        assertThat(StoreException.kindOf(new IOException("No space left on device"))).isEqualTo(StoreException.Kind.FULL);
        assertThat(StoreException.kindOf(new FileSystemException("/data/x", null, "No space left on device")))
                .isEqualTo(StoreException.Kind.FULL);
        assertThat(StoreException.kindOf(new java.io.UncheckedIOException(new IOException("Disk quota exceeded"))))
                .isEqualTo(StoreException.Kind.FULL);
        assertThat(StoreException.kindOf(new SQLException("could not extend file", "53100"))).isEqualTo(StoreException.Kind.FULL);
        assertThat(StoreException.kindOf(new IOException("Input/output error"))).isEqualTo(StoreException.Kind.TEMPORARY);
        assertThat(StoreException.kindOf(new SQLException("connection lost", "08006"))).isEqualTo(StoreException.Kind.TEMPORARY);
        // a follow-up failure added as suppressed does not change the verdict, nor hide it
        SQLException full = new SQLException("[SQLITE_FULL] database or disk is full");
        full.addSuppressed(new SQLException("statement is not executing"));
        assertThat(new StoreException("write failed", full).kind()).isEqualTo(StoreException.Kind.FULL);
        assertThat(new StoreException("store is closed").kind()).isEqualTo(StoreException.Kind.TEMPORARY);
    }
}
