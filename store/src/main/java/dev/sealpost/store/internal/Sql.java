package dev.sealpost.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers shared by both dialects (positional parameters, nulls, RETURNING). */
final class Sql {
    private Sql() {}

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) bind(ps, i + 1, args[i]);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(i, Types.VARCHAR);
            case String s -> ps.setString(i, s);
            case Long l -> ps.setLong(i, l);
            case Integer n -> ps.setInt(i, n);
            case Boolean b -> ps.setInt(i, b ? 1 : 0); // INTEGER 0/1 in both dialects
            case byte[] b -> ps.setBytes(i, b);
            default -> throw new IllegalArgumentException("cannot bind " + v.getClass());
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(m.map(rs));
            return out;
        }
    }

    static <T> Optional<T> one(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(m.map(rs)) : Optional.empty();
        }
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
        try (PreparedStatement ps = prepare(c, sql + " RETURNING id", args); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("INSERT ... RETURNING gave no row");
            return rs.getLong(1);
        }
    }
}
