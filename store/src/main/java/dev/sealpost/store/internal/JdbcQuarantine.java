package dev.sealpost.store.internal;

import dev.sealpost.store.Quarantine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link Quarantine} over the {@code quarantine} table (migration V10); writes through the group-commit writer. */
final class JdbcQuarantine implements Quarantine {
    private static final String COLS = "id, queue_message_id, account_id, recipient, mail_from, from_header, subject, verdict, score, "
            + "hits, session_id, size, received_at, expires_at";

    private final Database db;
    private final GroupCommitWriter writer;

    JdbcQuarantine(Database db, GroupCommitWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    @Override
    public boolean hold(NewEntry e) {
        return writer.write(c -> Sql.update(c, "INSERT INTO quarantine (queue_message_id, account_id, recipient, mail_from, "
                        + "from_header, subject, verdict, score, hits, session_id, size, message, received_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                e.queueMessageId(), e.accountId(), e.recipient().toLowerCase(Locale.ROOT), e.mailFrom(), clip(e.fromHeader()),
                clip(e.subject()), e.verdict(), e.score(), e.hits(), e.sessionId(), (long) e.message().length, e.message(),
                e.receivedAt().toEpochMilli(), e.expiresAt().toEpochMilli()) > 0);
    }

    /** Header texts are kept for listing only: control characters out, at most 500 characters. */
    private static String clip(String s) {
        if (s == null) return null;
        String t = s.replaceAll("[\\x00-\\x1f\\x7f]+", " ");
        return t.length() > 500 ? t.substring(0, 500) : t;
    }

    @Override
    public List<Entry> list(String recipient, int limit) {
        return db.read(c -> recipient == null
                ? Sql.query(c, "SELECT " + COLS + " FROM quarantine ORDER BY id DESC LIMIT ?", JdbcQuarantine::entry, (long) limit)
                : Sql.query(c, "SELECT " + COLS + " FROM quarantine WHERE recipient = ? ORDER BY id DESC LIMIT ?", JdbcQuarantine::entry,
                recipient.toLowerCase(Locale.ROOT), (long) limit));
    }

    @Override
    public Optional<Entry> get(long id) {
        return db.read(c -> Sql.one(c, "SELECT " + COLS + " FROM quarantine WHERE id = ?", JdbcQuarantine::entry, id));
    }

    @Override
    public Optional<byte[]> content(long id) {
        return db.read(c -> Sql.one(c, "SELECT message FROM quarantine WHERE id = ?", rs -> rs.getBytes(1), id));
    }

    @Override
    public boolean delete(long id) {
        return writer.write(c -> Sql.update(c, "DELETE FROM quarantine WHERE id = ?", id) > 0);
    }

    @Override
    public int purge(Instant now) {
        return writer.write(c -> Sql.update(c, "DELETE FROM quarantine WHERE expires_at <= ?", now.toEpochMilli()));
    }

    @Override
    public List<DigestMark> accountsWithNewEntries() {
        return db.read(c -> Sql.query(c, "SELECT q.account_id, COALESCE(d.last_entry_id, 0), COALESCE(d.sent_at, 0) "
                + "FROM quarantine q LEFT JOIN quarantine_digest d ON d.account_id = q.account_id "
                + "WHERE q.account_id <> 0 GROUP BY q.account_id, d.last_entry_id, d.sent_at "
                + "HAVING MAX(q.id) > COALESCE(d.last_entry_id, 0) ORDER BY q.account_id",
                rs -> new DigestMark(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)))));
    }

    @Override
    public List<Entry> listForAccount(long accountId, int limit) {
        return db.read(c -> Sql.query(c, "SELECT " + COLS + " FROM quarantine WHERE account_id = ? ORDER BY id DESC LIMIT ?",
                JdbcQuarantine::entry, accountId, (long) limit));
    }

    @Override
    public void markDigest(long accountId, long lastEntryId, Instant at) {
        writer.write(c -> Sql.update(c, "INSERT INTO quarantine_digest (account_id, last_entry_id, sent_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (account_id) DO UPDATE SET last_entry_id = excluded.last_entry_id, sent_at = excluded.sent_at",
                accountId, lastEntryId, at.toEpochMilli()));
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getLong(12),
                Instant.ofEpochMilli(rs.getLong(13)), Instant.ofEpochMilli(rs.getLong(14)));
    }
}
