package dev.sealpost.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one connection, kept by SQL text for reuse (least recently used ones
 * closed beyond {@link #MAX}). Used by one thread at a time: the one that holds the store
 * writer's lock and runs a batch (it runs the same few statements for every message).
 * Statements built with a variable number of placeholders (IN lists) are cached too; the bound
 * keeps their number finite. A statement still in use (a query
 * run again from inside the row mapper of the same query) is not handed out twice: the second
 * caller gets a statement of its own, closed after use.
 */
final class StatementCache implements AutoCloseable {
    static final int MAX = 256;

    private final Connection connection;
    /** Cached statements, true while handed out. */
    private final Map<PreparedStatement, Boolean> owned = new IdentityHashMap<>();
    private final LinkedHashMap<String, PreparedStatement> bySql = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX) return false;
            // one still handed out is closed by its user (giveBack no longer knows it)
            if (owned.remove(eldest.getValue()) != Boolean.TRUE) Database.closeQuietly(eldest.getValue());
            return true;
        }
    };

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** The statement for {@code sql}, prepared on first use; give it back with {@link #giveBack}. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = bySql.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            bySql.put(sql, ps);
        } else if (owned.get(ps) == Boolean.TRUE) {
            return connection.prepareStatement(sql); // in use further up the stack: an uncached one
        }
        owned.put(ps, Boolean.TRUE);
        return ps;
    }

    /** True when {@code ps} is a cached statement: it is then marked free again and must not be closed. */
    boolean giveBack(PreparedStatement ps) {
        if (!owned.containsKey(ps)) return false;
        owned.put(ps, Boolean.FALSE);
        return true;
    }

    /**
     * Drops {@code ps} from the cache and closes it (after a failed use: SQLite finalizes a
     * statement whose step failed, and it would fail every later use with "statement is not
     * executing"). True when it was a cached statement.
     */
    boolean evict(PreparedStatement ps) {
        if (owned.remove(ps) == null) return false;
        bySql.values().removeIf(cached -> cached == ps);
        Database.closeQuietly(ps);
        return true;
    }

    @Override
    public void close() {
        bySql.values().forEach(Database::closeQuietly);
        bySql.clear();
        owned.clear();
    }
}
