package dev.sealpost.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC helpers shared by both dialects (positional parameters, nulls, RETURNING).
 *
 * <p>On a connection that has a {@link StatementCache} bound to the current thread (the writer's
 * connection, see {@link GroupCommitWriter}) statements are prepared once and reused: SQLite
 * otherwise parses and plans every statement of every message again (docs/benchmarks.md).
 */
final class Sql {
    private Sql() {}

    /** The statement cache of the connection this thread uses now, if any (set while a writer batch runs). */
    private static final ThreadLocal<StatementCache> CACHE = new ThreadLocal<>();

    /** Binds {@code cache} to the current thread; statements on its connection are then reused. */
    static void bindCache(StatementCache cache) {
        if (cache == null) CACHE.remove();
        else CACHE.set(cache);
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The cache bound to this thread when it belongs to {@code c}, else null. */
    private static StatementCache cacheFor(Connection c) {
        StatementCache cache = CACHE.get();
        return cache != null && cache.connection() == c ? cache : null;
    }

    /** A prepared statement with its arguments bound; give it back with {@link #release}. */
    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        StatementCache cache = cacheFor(c);
        PreparedStatement ps = cache != null ? cache.get(sql) : c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) bind(ps, i + 1, args[i]);
            return ps;
        } catch (SQLException | RuntimeException e) {
            discard(c, ps, e);
            throw e;
        }
    }

    /**
     * Gives back a statement from {@link #prepare} after a successful use: closes it, or keeps it
     * for the next use when it is cached. A cached statement that cannot be reset (SQLite
     * finalizes a statement whose step failed with e.g. SQLITE_FULL) is dropped from the cache,
     * never handed out again; the use itself succeeded, so that is not an error here.
     */
    static void release(Connection c, PreparedStatement ps) throws SQLException {
        StatementCache cache = cacheFor(c);
        if (cache != null && cache.giveBack(ps)) {
            try {
                ps.clearParameters();
            } catch (SQLException e) {
                cache.evict(ps);
            }
        } else {
            ps.close();
        }
    }

    /**
     * Gives back a statement from {@link #prepare} whose use failed with {@code failure}: it is
     * closed and, when cached, dropped from the cache (it may be finalized or mid-step), so the
     * next unit prepares a fresh one. Whatever goes wrong here is added to {@code failure} as
     * suppressed: the original cause (SQLITE_FULL, an I/O error) is what the caller reports.
     */
    static void discard(Connection c, PreparedStatement ps, Throwable failure) {
        StatementCache cache = cacheFor(c);
        if (cache != null && cache.evict(ps)) return;
        try {
            ps.close();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(i, Types.VARCHAR);
            case String s -> ps.setString(i, s);
            case Long l -> ps.setLong(i, l);
            case Integer n -> ps.setInt(i, n);
            case Double d -> ps.setDouble(i, d);
            case Boolean b -> ps.setInt(i, b ? 1 : 0); // INTEGER 0/1 in both dialects
            case byte[] b -> ps.setBytes(i, b);
            default -> throw new IllegalArgumentException("cannot bind " + v.getClass());
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = prepare(c, sql, args);
        int n;
        try {
            n = ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            discard(c, ps, e);
            throw e;
        }
        release(c, ps);
        return n;
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        PreparedStatement ps = prepare(c, sql, args);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(m.map(rs));
        } catch (SQLException | RuntimeException e) {
            discard(c, ps, e);
            throw e;
        }
        release(c, ps);
        return out;
    }

    static <T> Optional<T> one(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        PreparedStatement ps = prepare(c, sql, args);
        Optional<T> out;
        try (ResultSet rs = ps.executeQuery()) {
            out = rs.next() ? Optional.ofNullable(m.map(rs)) : Optional.empty();
        } catch (SQLException | RuntimeException e) {
            discard(c, ps, e);
            throw e;
        }
        release(c, ps);
        return out;
    }

    /** Runs one statement for each argument row as a JDBC batch; returns the total update count. */
    static int batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) return 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) bind(ps, i + 1, row[i]);
                ps.addBatch();
            }
            int n = 0;
            for (int k : ps.executeBatch()) n += Math.max(k, 0);
            return n;
        }
    }

    /** {@code ?, ?, ?} with {@code n} placeholders, for IN lists. */
    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Runs {@code INSERT ... RETURNING id} (SQLite 3.35+ and PostgreSQL) and returns the id. */
    static long insertId(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = prepare(c, sql + " RETURNING id", args);
        long id;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("INSERT ... RETURNING gave no row");
            id = rs.getLong(1);
        } catch (SQLException | RuntimeException e) {
            discard(c, ps, e);
            throw e;
        }
        release(c, ps);
        return id;
    }
}
