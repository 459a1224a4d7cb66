package dev.sealpost.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.StoreException;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Connections: one writer connection (owned by {@link GroupCommitWriter}) and read connections
 * (a small pool of {@code query_only} connections for SQLite, HikariCP for PostgreSQL). Read work
 * runs in one transaction (a consistent snapshot), always rolled back.
 */
public final class Database implements AutoCloseable {
    private static final int MAX_IDLE_SQLITE_READERS = 8;
    /** The SQLite database's file name in the data directory. */
    static final String SQLITE_FILE = "sealpost.db";

    private final Dialect dialect;
    private final String url;
    private final StoreConfig cfg;
    private final ConcurrentLinkedQueue<Connection> idleReaders = new ConcurrentLinkedQueue<>();
    private final HikariDataSource pgReaders;
    private volatile boolean closed;

    public Database(StoreConfig cfg) {
        this.cfg = cfg;
        this.dialect = cfg.postgres() ? Dialect.POSTGRESQL : Dialect.SQLITE;
        this.url = cfg.jdbcUrl() != null ? cfg.jdbcUrl() : "jdbc:sqlite:" + cfg.dataDir().resolve(SQLITE_FILE).toAbsolutePath();
        if (dialect == Dialect.POSTGRESQL) {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            if (cfg.dbUser() != null) hc.setUsername(cfg.dbUser());
            if (cfg.dbPassword() != null) hc.setPassword(cfg.dbPassword());
            hc.setPoolName("sealpost-store-read");
            hc.setMaximumPoolSize(8);
            hc.setMinimumIdle(0);
            hc.setAutoCommit(false);
            hc.setReadOnly(true);
            // multi-statement reads see one snapshot
            hc.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
            hc.setInitializationFailTimeout(-1);
            pgReaders = new HikariDataSource(hc);
        } else {
            pgReaders = null;
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The SQLite database file Sealpost manages in its data directory, or null (PostgreSQL, or a JDBC URL of its own). */
    Path sqliteFile() {
        return dialect == Dialect.SQLITE && cfg.jdbcUrl() == null ? cfg.dataDir().resolve(SQLITE_FILE).toAbsolutePath() : null;
    }

    /** The database location for messages, without credentials. */
    public String describe() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** A new connection for writing (auto-commit on for SQLite, off for PostgreSQL). */
    Connection openWriter() throws SQLException {
        if (dialect == Dialect.SQLITE) {
            Connection c = sqliteConfig().createConnection(url);
            c.setAutoCommit(true);
            return c;
        }
        Properties p = new Properties();
        if (cfg.dbUser() != null) p.setProperty("user", cfg.dbUser());
        if (cfg.dbPassword() != null) p.setProperty("password", cfg.dbPassword());
        p.setProperty("ApplicationName", "sealpost-store-writer");
        Connection c = DriverManager.getConnection(url, p);
        c.setAutoCommit(false);
        try (var s = c.createStatement()) {
            // durable on return: never relax synchronous_commit for the spool
            s.execute("SET synchronous_commit = on");
        }
        c.commit();
        return c;
    }

    private SQLiteConfig sqliteConfig() {
        SQLiteConfig sc = new SQLiteConfig();
        sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // "250" means stored: FULL syncs the WAL on every commit (NORMAL could lose the last commits on power loss)
        sc.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sc.enforceForeignKeys(true);
        sc.setBusyTimeout(5000);
        return sc;
    }

    /** Runs read-only work in one snapshot. */
    public <T> T read(SqlWork<T> work) {
        if (closed) throw new StoreException("store is closed");
        Connection c = null;
        boolean healthy = false;
        try {
            c = borrowReader();
            T result = work.run(c);
            c.rollback();
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        } finally {
            if (c != null) releaseReader(c, healthy);
        }
    }

    private Connection borrowReader() throws SQLException {
        if (pgReaders != null) return pgReaders.getConnection();
        Connection c = idleReaders.poll();
        if (c != null) return c;
        c = sqliteConfig().createConnection(url);
        try (var s = c.createStatement()) {
            s.execute("PRAGMA query_only = ON");
        }
        c.setAutoCommit(false);
        return c;
    }

    private void releaseReader(Connection c, boolean healthy) {
        if (pgReaders != null) {
            closeQuietly(c); // back to HikariCP, which rolls back and validates
            return;
        }
        if (!healthy) {
            try {
                c.rollback();
                healthy = true;
            } catch (SQLException e) {
                // unusable: drop it
            }
        }
        if (healthy && !closed && idleReaders.size() < MAX_IDLE_SQLITE_READERS) {
            idleReaders.offer(c);
        } else {
            closeQuietly(c);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) c.close();
        } catch (Exception ignored) {
            // closing: nothing useful to do
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idleReaders.poll()) != null) closeQuietly(c);
        if (pgReaders != null) pgReaders.close();
    }
}
