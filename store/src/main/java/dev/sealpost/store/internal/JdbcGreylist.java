package dev.sealpost.store.internal;

import dev.sealpost.store.Greylist;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** {@link Greylist} over the {@code greylist} table (migration V11). */
final class JdbcGreylist implements Greylist {
    private static final String COLUMNS = "network, sender, recipient, first_seen, passed_at, expires_at, attempts";

    private final Database db;
    private final GroupCommitWriter writer;

    JdbcGreylist(Database db, GroupCommitWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    private static String field(String s) {
        String v = s == null ? "" : s.toLowerCase(Locale.ROOT);
        return v.length() > MAX_FIELD ? v.substring(0, MAX_FIELD) : v;
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        long passed = rs.getLong(5);
        Instant passedAt = rs.wasNull() ? null : Instant.ofEpochMilli(passed);
        return new Entry(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                passedAt, Instant.ofEpochMilli(rs.getLong(6)), rs.getLong(7));
    }

    @Override
    public Entry seen(String network, String sender, String recipient, Instant now, Instant pendingExpiry) {
        String n = field(network), s = field(sender), r = field(recipient);
        long t = now.toEpochMilli(), exp = pendingExpiry.toEpochMilli();
        return writer.write(c -> {
            // An expired row starts afresh: as if the triplet had never been seen.
            Sql.update(c, "INSERT INTO greylist (" + COLUMNS + ") VALUES (?, ?, ?, ?, NULL, ?, 1) "
                    + "ON CONFLICT (network, sender, recipient) DO UPDATE SET "
                    + "first_seen = CASE WHEN greylist.expires_at <= ? THEN ? ELSE greylist.first_seen END, "
                    + "passed_at = CASE WHEN greylist.expires_at <= ? THEN NULL ELSE greylist.passed_at END, "
                    + "attempts = CASE WHEN greylist.expires_at <= ? THEN 1 ELSE greylist.attempts + 1 END, "
                    + "expires_at = CASE WHEN greylist.expires_at <= ? THEN ? ELSE greylist.expires_at END",
                    n, s, r, t, exp, t, t, t, t, t, exp);
            return Sql.one(c, "SELECT " + COLUMNS + " FROM greylist WHERE network = ? AND sender = ? AND recipient = ?",
                    JdbcGreylist::entry, n, s, r).orElseThrow();
        });
    }

    @Override
    public void passed(String network, String sender, String recipient, Instant now, Instant expiresAt) {
        String n = field(network), s = field(sender), r = field(recipient);
        writer.write(c -> Sql.update(c, "UPDATE greylist SET passed_at = COALESCE(passed_at, ?), expires_at = ? "
                + "WHERE network = ? AND sender = ? AND recipient = ?", now.toEpochMilli(), expiresAt.toEpochMilli(), n, s, r));
    }

    @Override
    public Optional<Entry> find(String network, String sender, String recipient) {
        String n = field(network), s = field(sender), r = field(recipient);
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM greylist WHERE network = ? AND sender = ? AND recipient = ?",
                JdbcGreylist::entry, n, s, r));
    }

    @Override
    public int purge(Instant now) {
        return writer.write(c -> Sql.update(c, "DELETE FROM greylist WHERE expires_at <= ?", now.toEpochMilli()));
    }
}
