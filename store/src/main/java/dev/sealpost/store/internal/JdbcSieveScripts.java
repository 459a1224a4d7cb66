package dev.sealpost.store.internal;

import dev.sealpost.store.SieveScripts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link SieveScripts} over {@code sieve_scripts} (migration V8). Writes go through the
 * group-commit writer; each change reads and writes in one transaction, so quota checks and the
 * one-active rule (also a partial unique index) hold under concurrent sessions.
 */
final class JdbcSieveScripts implements SieveScripts {
    private static final String COLS = "name, content, active, size, updated_at";

    private final Database db;
    private final GroupCommitWriter writer;
    private final Clock clock;

    JdbcSieveScripts(Database db, GroupCommitWriter writer, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public List<Summary> list(long accountId) {
        return db.read(c -> Sql.query(c, "SELECT name, active, size, updated_at FROM sieve_scripts WHERE account_id = ? ORDER BY name",
                rs -> new Summary(rs.getString(1), rs.getInt(2) != 0, rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4))), accountId));
    }

    @Override
    public Optional<Script> get(long accountId, String name) {
        return db.read(c -> Sql.one(c, "SELECT " + COLS + " FROM sieve_scripts WHERE account_id = ? AND name = ?",
                JdbcSieveScripts::script, accountId, name));
    }

    @Override
    public Optional<Script> active(long accountId) {
        return db.read(c -> Sql.one(c, "SELECT " + COLS + " FROM sieve_scripts WHERE account_id = ? AND active = 1",
                JdbcSieveScripts::script, accountId));
    }

    private static Script script(ResultSet rs) throws SQLException {
        return new Script(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getLong(4), Instant.ofEpochMilli(rs.getLong(5)));
    }

    @Override
    public Outcome haveSpace(long accountId, String name, long size, Quota quota) {
        return db.read(c -> space(c, accountId, name, size, quota));
    }

    /** RFC 5804 §2.5: the size quota first (nothing can fix it), then the count (a replacement adds none). */
    private static Outcome space(Connection c, long accountId, String name, long size, Quota quota) throws SQLException {
        if (quota.maxScriptSize() > 0 && size > quota.maxScriptSize()) return new Outcome.TooLarge(quota.maxScriptSize());
        if (quota.maxScripts() > 0 && !exists(c, accountId, name)) {
            long n = Sql.one(c, "SELECT COUNT(*) FROM sieve_scripts WHERE account_id = ?", rs -> rs.getLong(1), accountId).orElse(0L);
            if (n + 1 > quota.maxScripts()) return new Outcome.TooManyScripts(quota.maxScripts());
        }
        return new Outcome.Done();
    }

    private static boolean exists(Connection c, long accountId, String name) throws SQLException {
        return Sql.one(c, "SELECT 1 FROM sieve_scripts WHERE account_id = ? AND name = ?", rs -> true, accountId, name).isPresent();
    }

    @Override
    public Outcome put(long accountId, String name, String content, Quota quota) {
        checkName(name);
        // PostgreSQL TEXT cannot hold NUL; a Sieve script has none (RFC 5228 §2.4.2 strings are UTF-8 text)
        if (content.indexOf('\0') >= 0) throw new IllegalArgumentException("a script cannot contain NUL");
        long size = SieveScripts.sizeOf(content);
        long now = clock.millis();
        return writer.write(c -> {
            Outcome o = space(c, accountId, name, size, quota);
            if (!(o instanceof Outcome.Done)) return o;
            // RFC 5804 §2.6: replacing a script keeps it active if it was
            int n = Sql.update(c, "UPDATE sieve_scripts SET content = ?, size = ?, updated_at = ? WHERE account_id = ? AND name = ?",
                    content, size, now, accountId, name);
            if (n == 0) {
                Sql.update(c, "INSERT INTO sieve_scripts (account_id, name, content, size, active, updated_at) VALUES (?, ?, ?, ?, 0, ?)",
                        accountId, name, content, size, now);
            }
            return o;
        });
    }

    @Override
    public Outcome setActive(long accountId, String name) {
        return writer.write(c -> {
            if (name != null && !exists(c, accountId, name)) return new Outcome.NonExistent();
            // deactivate first: the partial unique index allows one active row per account
            Sql.update(c, "UPDATE sieve_scripts SET active = 0 WHERE account_id = ? AND active = 1", accountId);
            if (name != null) Sql.update(c, "UPDATE sieve_scripts SET active = 1 WHERE account_id = ? AND name = ?", accountId, name);
            return new Outcome.Done();
        });
    }

    @Override
    public Outcome delete(long accountId, String name) {
        return writer.write(c -> {
            Optional<Boolean> active = Sql.one(c, "SELECT active FROM sieve_scripts WHERE account_id = ? AND name = ?",
                    rs -> rs.getInt(1) != 0, accountId, name);
            if (active.isEmpty()) return new Outcome.NonExistent();
            if (active.get()) return new Outcome.Active(); // RFC 5804 §2.10
            Sql.update(c, "DELETE FROM sieve_scripts WHERE account_id = ? AND name = ?", accountId, name);
            return new Outcome.Done();
        });
    }

    @Override
    public Outcome rename(long accountId, String from, String to) {
        checkName(to);
        long now = clock.millis();
        return writer.write(c -> {
            if (!exists(c, accountId, from)) return new Outcome.NonExistent();
            if (from.equals(to)) return new Outcome.Done();
            if (exists(c, accountId, to)) return new Outcome.AlreadyExists();
            Sql.update(c, "UPDATE sieve_scripts SET name = ?, updated_at = ? WHERE account_id = ? AND name = ?", to, now, accountId, from);
            return new Outcome.Done();
        });
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a script name has 1 to " + MAX_NAME + " characters, no NUL");
        }
    }

    @Override
    public boolean vacationReplied(long accountId, String handle, String sender, Instant now) {
        return db.read(c -> Sql.one(c, "SELECT 1 FROM sieve_vacation WHERE account_id = ? AND handle = ? AND sender = ? AND expires_at > ?",
                rs -> 1, accountId, handle, sender.toLowerCase(java.util.Locale.ROOT), now.toEpochMilli()).isPresent());
    }

    @Override
    public void rememberVacation(long accountId, String handle, String sender, Instant expiresAt) {
        writer.write(c -> {
            Sql.update(c, "DELETE FROM sieve_vacation WHERE expires_at <= ?", clock.millis());
            Sql.update(c, "INSERT INTO sieve_vacation (account_id, handle, sender, expires_at) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (account_id, handle, sender) DO UPDATE SET expires_at = excluded.expires_at",
                    accountId, handle, sender.toLowerCase(java.util.Locale.ROOT), expiresAt.toEpochMilli());
            return null;
        });
    }

    private static GlobalScript global(ResultSet rs) throws SQLException {
        return new GlobalScript(rs.getString(1), Phase.parse(rs.getString(2)).orElseThrow(), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)));
    }

    @Override
    public List<GlobalScript> globalScripts(String domain) {
        String d = domain == null ? "" : domain.toLowerCase(java.util.Locale.ROOT);
        List<GlobalScript> all = db.read(c -> Sql.query(c, "SELECT domain, phase, name, content, updated_at FROM sieve_global_scripts "
                + "WHERE domain = '' OR domain = ? ORDER BY name", JdbcSieveScripts::global, d));
        // before: the server's, then the domain's; after: the domain's, then the server's (Pigeonhole's order: outermost last)
        List<GlobalScript> out = new java.util.ArrayList<>();
        for (GlobalScript g : all) if (g.phase() == Phase.BEFORE && g.domain().isEmpty()) out.add(g);
        for (GlobalScript g : all) if (g.phase() == Phase.BEFORE && !g.domain().isEmpty()) out.add(g);
        for (GlobalScript g : all) if (g.phase() == Phase.AFTER && !g.domain().isEmpty()) out.add(g);
        for (GlobalScript g : all) if (g.phase() == Phase.AFTER && g.domain().isEmpty()) out.add(g);
        return out;
    }

    @Override
    public List<GlobalScript> listGlobal(String domain) {
        String cols = "SELECT domain, phase, name, content, updated_at FROM sieve_global_scripts";
        if (domain == null) return db.read(c -> Sql.query(c, cols + " ORDER BY domain, phase DESC, name", JdbcSieveScripts::global));
        return db.read(c -> Sql.query(c, cols + " WHERE domain = ? ORDER BY phase DESC, name", JdbcSieveScripts::global,
                domain.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public void putGlobal(String domain, Phase phase, String name, String content) {
        checkName(name);
        if (content.indexOf('\0') >= 0) throw new IllegalArgumentException("a script cannot contain NUL");
        String d = domain == null ? "" : domain.toLowerCase(java.util.Locale.ROOT);
        long now = clock.millis();
        writer.write(c -> Sql.update(c, "INSERT INTO sieve_global_scripts (domain, phase, name, content, updated_at) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (domain, phase, name) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at",
                d, phase.keyword(), name, content, now));
    }

    @Override
    public boolean removeGlobal(String domain, Phase phase, String name) {
        String d = domain == null ? "" : domain.toLowerCase(java.util.Locale.ROOT);
        return writer.write(c -> Sql.update(c, "DELETE FROM sieve_global_scripts WHERE domain = ? AND phase = ? AND name = ?",
                d, phase.keyword(), name)) > 0;
    }
}
