package dev.sealpost.store.internal;

import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store writer's fast path: cached statements, batches of one, checkpoints off the writer thread. */
class WriterPathTest {
    @TempDir
    Path dir;

    private Connection sqlite(String name) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name));
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
        }
        return c;
    }

    @Test
    void cachedStatementsAreReusedAndNotClosed() throws Exception {
        try (Connection c = sqlite("cache.db"); StatementCache cache = new StatementCache(c)) {
            Sql.bindCache(cache);
            try {
                PreparedStatement first = Sql.prepare(c, "SELECT v FROM t WHERE id = ?", 1);
                Sql.release(c, first);
                PreparedStatement second = Sql.prepare(c, "SELECT v FROM t WHERE id = ?", 2);
                assertThat(second).isSameAs(first);
                assertThat(second.isClosed()).isFalse();
                Sql.release(c, second);
                // parameters are cleared on release and bound again on use
                assertThat(Sql.one(c, "SELECT v FROM t WHERE id = ?", rs -> rs.getString(1), 3)).contains("c");
                assertThat(Sql.update(c, "UPDATE t SET v = ? WHERE id = ?", "z", 3)).isEqualTo(1);
                assertThat(Sql.one(c, "SELECT v FROM t WHERE id = ?", rs -> rs.getString(1), 3)).contains("z");
                assertThat(Sql.insertId(c, "INSERT INTO t (v) VALUES (?)", "d")).isEqualTo(4);
                assertThat(Sql.insertId(c, "INSERT INTO t (v) VALUES (?)", "e")).isEqualTo(5);
            } finally {
                Sql.bindCache(null);
            }
        }
    }

    @Test
    void theSameQueryFromInsideItsOwnRowMapperGetsAStatementOfItsOwn() throws Exception {
        try (Connection c = sqlite("nested.db"); StatementCache cache = new StatementCache(c)) {
            Sql.bindCache(cache);
            try {
                String sql = "SELECT id, v FROM t WHERE id >= ? ORDER BY id";
                List<String> out = Sql.query(c, sql, rs -> rs.getString(2) + "/"
                        + Sql.query(c, sql, inner -> inner.getString(2), rs.getLong(1)).size(), 1L);
                assertThat(out).containsExactly("a/3", "b/2", "c/1");
            } finally {
                Sql.bindCache(null);
            }
        }
    }

    @Test
    void evictionClosesTheLeastRecentlyUsedStatement() throws Exception {
        try (Connection c = sqlite("evict.db"); StatementCache cache = new StatementCache(c)) {
            PreparedStatement oldest = cache.get("SELECT 0");
            assertThat(cache.giveBack(oldest)).isTrue();
            for (int i = 1; i <= StatementCache.MAX; i++) cache.giveBack(cache.get("SELECT " + i));
            assertThat(oldest.isClosed()).isTrue();
            assertThat(cache.giveBack(oldest)).isFalse(); // no longer known: its user closes it
        }
    }

    @Test
    void statementsOfAnotherConnectionAreNotCached() throws Exception {
        try (Connection c = sqlite("a.db"); Connection other = sqlite("b.db"); StatementCache cache = new StatementCache(c)) {
            Sql.bindCache(cache);
            try {
                PreparedStatement ps = Sql.prepare(other, "SELECT 1");
                Sql.release(other, ps);
                assertThat(ps.isClosed()).isTrue();
            } finally {
                Sql.bindCache(null);
            }
        }
    }

    /** A store database in {@link #dir} with a table {@code t (id, v TEXT NOT NULL)}. */
    private Database databaseWithTable() throws Exception {
        return databaseWithTable("TEXT");
    }

    /** A store database in {@link #dir} with a table {@code t (id, v <type> NOT NULL)}. */
    private Database databaseWithTable(String valueType) throws Exception {
        Database db = new Database(StoreConfig.sqlite(dir));
        try (Connection c = db.openWriter(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v " + valueType + " NOT NULL)");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)"); // the WAL starts empty
        }
        return db;
    }

    @Test
    void aFailedUnitAloneInItsBatchLeavesNothingBehindAndTheWriterGoesOn() throws Exception {
        Database db = databaseWithTable();
        try (GroupCommitWriter w = new GroupCommitWriter(db)) {
            assertThatThrownBy(() -> w.write(c -> {
                Sql.update(c, "INSERT INTO t (v) VALUES (?)", "kept only if committed");
                return Sql.update(c, "INSERT INTO t (v) VALUES (?)", (Object) null); // NOT NULL fails
            })).hasMessageContaining("NOT NULL");
            // an Error thrown by a unit (a bug) leaves no open transaction behind either
            assertThatThrownBy(() -> w.write(c -> {
                Sql.update(c, "INSERT INTO t (v) VALUES (?)", "not committed");
                throw new AssertionError("bug in a unit");
            })).isInstanceOf(AssertionError.class);
            int inserted = w.write(c -> Sql.update(c, "INSERT INTO t (v) VALUES (?)", "next"));
            assertThat(inserted).isEqualTo(1);
            List<String> rows = db.read(c -> Sql.query(c, "SELECT v FROM t", rs -> rs.getString(1)));
            assertThat(rows).containsExactly("next");
        } finally {
            db.close();
        }
    }

    @Test
    void concurrentUnitsFailAlone() throws Exception {
        Database db = databaseWithTable();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (GroupCommitWriter w = new GroupCommitWriter(db)) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Integer>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String v = i % 4 == 0 ? null : "v" + i;
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                    return w.write(c -> Sql.update(c, "INSERT INTO t (v) VALUES (?)", v));
                }, pool));
            }
            go.countDown();
            long failed = all.stream().filter(f -> f.handle((r, e) -> e != null).join()).count();
            assertThat(failed).isEqualTo(10);
            java.util.Optional<Long> count = db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM t", rs -> rs.getLong(1)));
            assertThat(count).contains(30L);
        } finally {
            pool.shutdown();
            db.close();
        }
    }

    @Test
    void aLoneCallerRunsItsWorkItselfAndBusyWritersStillShareCommits() throws Exception {
        Database db = databaseWithTable();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (GroupCommitWriter w = new GroupCommitWriter(db)) {
            Thread me = Thread.currentThread();
            Thread ranOn = w.write(c -> {
                Sql.update(c, "INSERT INTO t (v) VALUES (?)", "alone");
                return Thread.currentThread();
            });
            assertThat(ranOn).isSameAs(me); // no hand-off to the writer thread

            // while one commit runs (held inside its work), 50 others queue up for the writer thread
            CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
            long before = w.commitCount();
            CompletableFuture<Integer> holder = CompletableFuture.supplyAsync(() -> w.write(c -> {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Sql.update(c, "INSERT INTO t (v) VALUES (?)", "holder");
            }), pool);
            inside.await();
            List<CompletableFuture<Integer>> others = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String v = "queued" + i;
                others.add(CompletableFuture.supplyAsync(() -> w.write(c -> Sql.update(c, "INSERT INTO t (v) VALUES (?)", v)), pool));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (w.handedOver() < 50 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(w.handedOver()).isEqualTo(50);
            release.countDown();
            assertThat(holder.join()).isEqualTo(1);
            others.forEach(CompletableFuture::join);
            // the holder's commit, then the queued work in at most two batches (the writer thread
            // took what was queued when it woke, the rest in the next batch): never one commit each
            assertThat(w.commitCount() - before).isBetween(2L, 3L);
            java.util.Optional<Long> count = db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM t", rs -> rs.getLong(1)));
            assertThat(count).contains(52L);
            assertThat(w.handedOver()).isZero();
        } finally {
            pool.shutdown();
            db.close();
        }
    }

    @Test
    void theCheckpointerCopiesCommittedPagesIntoTheDatabaseFile() throws Exception {
        Database db = databaseWithTable("BLOB");
        Path file = dir.resolve(Database.SQLITE_FILE);
        long before = Files.size(file);
        try (GroupCommitWriter w = new GroupCommitWriter(db);
             WalCheckpointer cp = new WalCheckpointer(db, w, file)) {
            // far fewer pages than the writer's own automatic checkpoint (32,768): only the checkpointer moves them
            for (int i = 0; i < 50; i++) {
                w.write(c -> Sql.update(c, "INSERT INTO t (v) VALUES (?)", (Object) new byte[8192]));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.size(file) < before + 50 * 8192 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(Files.size(file)).isGreaterThanOrEqualTo(before + 50 * 8192);
            java.util.Optional<Integer> auto = w.write(c -> Sql.one(c, "PRAGMA wal_autocheckpoint", rs -> rs.getInt(1)));
            assertThat(auto).contains(WalCheckpointer.WRITER_AUTOCHECKPOINT_PAGES);
        } finally {
            db.close();
        }
    }

    @Test
    void pastItsSizeLimitTheWalIsTruncatedOnceTheWriterPauses() throws Exception {
        Database db = databaseWithTable("BLOB");
        Path file = dir.resolve(Database.SQLITE_FILE);
        Path wal = dir.resolve(Database.SQLITE_FILE + "-wal");
        try (GroupCommitWriter w = new GroupCommitWriter(db);
             WalCheckpointer cp = new WalCheckpointer(db, w, file, 64 * 1024)) {
            for (int i = 0; i < 40; i++) w.write(c -> Sql.update(c, "INSERT INTO t (v) VALUES (?)", (Object) new byte[8192]));
            // a PASSIVE checkpoint never shrinks the WAL file; TRUNCATE (past 64 KiB here) empties it
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.size(wal) > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(Files.size(wal)).isZero();
            java.util.Optional<Long> rows = db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM t", rs -> rs.getLong(1)));
            assertThat(rows).contains(40L);
        } finally {
            db.close();
        }
    }
}
