package dev.sealpost.store.internal;

import dev.sealpost.store.EvidenceJournal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@link EvidenceJournal} over {@code evidence_pending} (migration V19). Rows are inserted by
 * {@link JdbcSpool} inside the acceptance's transaction ({@link #insert}); deletes go through
 * the group-commit writer.
 */
final class JdbcEvidenceJournal implements EvidenceJournal {
    private final Database db;
    private final GroupCommitWriter writer;

    JdbcEvidenceJournal(Database db, GroupCommitWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    /** Inserts {@code records} in order in the caller's transaction. */
    static void insert(Connection c, List<byte[]> records, long now) throws SQLException {
        for (byte[] r : records) {
            if (r == null || r.length == 0) throw new IllegalArgumentException("an empty evidence record");
            Sql.update(c, "INSERT INTO evidence_pending (record, created_at) VALUES (?, ?)", r, now);
        }
    }

    @Override
    public List<Entry> after(long after, int limit) {
        return db.read(c -> Sql.query(c, "SELECT seq, record FROM evidence_pending WHERE seq > ? ORDER BY seq LIMIT ?",
                rs -> new Entry(rs.getLong(1), rs.getBytes(2)), after, (long) limit));
    }

    @Override
    public int removeThrough(long through) {
        return writer.write(c -> Sql.update(c, "DELETE FROM evidence_pending WHERE seq <= ?", through));
    }

    @Override
    public long count() {
        return db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM evidence_pending", rs -> rs.getLong(1)).orElse(0L));
    }
}
