package dev.sealpost.store.internal;

import dev.sealpost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies versioned schema migrations from {@code db/migration/<dialect>/} on the classpath.
 * {@code migrations.txt} lists the files in order ({@code V<n>__<description>.sql}, versions
 * strictly increasing); each file runs in its own transaction together with its
 * {@code schema_version} row, so a failed migration leaves the previous version intact.
 * Statements are separated by a {@code ;} at the end of a line; {@code --} comments are dropped.
 * (We wrote this instead of using Flyway: ~100 lines against a large dependency; see the ADR.)
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]{0,8})__([A-Za-z0-9_]+)\\.sql");

    /** One migration file. */
    public record Migration(int version, String description, String resource) {}

    private Migrator() {}

    /** The migrations of a dialect, in order. */
    public static List<Migration> migrations(Dialect dialect) {
        String dir = "db/migration/" + dialect.migrationDir() + "/";
        String index = resource(dir + "migrations.txt");
        List<Migration> out = new ArrayList<>();
        int last = 0;
        for (String line : index.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = NAME.matcher(line);
            if (!m.matches()) throw new StoreException("bad migration file name in " + dir + "migrations.txt: " + line);
            int v = Integer.parseInt(m.group(1));
            if (v <= last) throw new StoreException("migration versions must increase: " + line);
            last = v;
            out.add(new Migration(v, m.group(2).replace('_', ' '), dir + line));
        }
        return out;
    }

    /**
     * Brings the schema up to date on {@code c} (an auto-commit-off connection, used alone).
     *
     * @return the schema version afterwards
     */
    public static int migrate(Connection c, Dialect dialect, Clock clock) throws SQLException {
        return migrate(c, dialect, clock, Integer.MAX_VALUE);
    }

    /** As {@link #migrate(Connection, Dialect, Clock)}, stopping after version {@code upTo} (tests of a migration's data step). */
    static int migrate(Connection c, Dialect dialect, Clock clock, int upTo) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            }
            c.commit();
            int current = currentVersion(c);
            List<Migration> all = migrations(dialect);
            int known = all.isEmpty() ? 0 : all.getLast().version();
            if (current > known) {
                throw new StoreException("database schema version " + current + " is newer than this build knows ("
                        + known + "): upgrade Sealpost");
            }
            for (Migration m : all) {
                if (m.version() <= current) continue;
                if (m.version() > upTo) break;
                LOG.info("store: applying migration V{} ({})", m.version(), m.description());
                try (Statement st = c.createStatement()) {
                    for (String sql : statements(resource(m.resource()))) st.execute(sql);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.description());
                    ps.setLong(3, clock.millis());
                    ps.executeUpdate();
                }
                c.commit();
                current = m.version();
            }
            return current;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Splits a script into statements: a statement ends with {@code ;} at the end of a line. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            int dash = line.indexOf("--");
            String code = (dash >= 0 ? line.substring(0, dash) : line).stripTrailing();
            if (code.isBlank()) continue;
            cur.append(code).append('\n');
            if (code.endsWith(";")) {
                String sql = cur.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new StoreException("missing classpath resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read " + name, e);
        }
    }
}
