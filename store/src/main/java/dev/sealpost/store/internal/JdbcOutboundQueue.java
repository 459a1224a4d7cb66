package dev.sealpost.store.internal;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobStore;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.Spool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link OutboundQueue} over {@code remote_deliveries} (migration V4 columns), joined with
 * {@code queue_messages} and {@code queue_recipients}. All writes go through the group-commit writer.
 */
final class JdbcOutboundQueue implements OutboundQueue {
    private static final String COLS = "d.id, d.queue_message_id, d.recipient_id, d.address, r.address, r.dsn_notify, r.orcpt, "
            + "d.state, d.attempts, d.priority, d.held, d.next_attempt_at, d.first_attempt_at, d.last_attempt_at, d.warned_at, "
            + "d.done_at, d.last_reply, d.remote_mta, d.dsn_pending";
    private static final String FROM = " FROM remote_deliveries d JOIN queue_recipients r ON r.id = d.recipient_id ";
    /** Longest reply text kept (a multi-line reply is cut; DSNs and the CLI need the gist). */
    static final int MAX_REPLY = 2000;

    private final Database db;
    private final GroupCommitWriter writer;
    private final BlobStore blobs;
    private final Clock clock;

    JdbcOutboundQueue(Database db, GroupCommitWriter writer, BlobStore blobs, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.blobs = blobs;
        this.clock = clock;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), State.valueOf(rs.getString(8)), rs.getInt(9), rs.getInt(10), rs.getInt(11) != 0,
                instant(rs, 12), instant(rs, 13), instant(rs, 14), instant(rs, 15), instant(rs, 16), rs.getString(17),
                rs.getString(18), DsnAction.of(rs.getString(19)));
    }

    private static Optional<QueueMessage> message(Connection c, long id) throws SQLException {
        return Sql.one(c, "SELECT id, blob_id, blob_size, mail_from, received_at, require_tls, smtp_utf8, body_type, dsn_ret, "
                + "dsn_envid, auth_user, client_address, helo, outbound_prepared FROM queue_messages WHERE id = ?", rs -> new QueueMessage(
                rs.getLong(1), new BlobRef(rs.getString(2), rs.getLong(3)), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)),
                rs.getInt(6) != 0, rs.getInt(7) != 0, rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getInt(14) != 0), id);
    }

    @Override
    public List<DueDomain> due(Instant now, int limit) {
        int n = Math.min(Math.max(limit, 0), MAX_BATCH);
        if (n == 0) return List.of();
        return db.read(c -> {
            List<Delivery> ds = Sql.query(c, "SELECT " + COLS + FROM + "WHERE d.state = 'PENDING' AND d.held = 0 "
                    + "AND d.next_attempt_at <= ? ORDER BY d.priority DESC, d.next_attempt_at, d.id LIMIT ?",
                    JdbcOutboundQueue::delivery, now.toEpochMilli(), n);
            Map<String, Map<Long, List<Delivery>>> grouped = new LinkedHashMap<>();
            for (Delivery d : ds) {
                grouped.computeIfAbsent(d.domain(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(d.queueMessageId(), k -> new ArrayList<>()).add(d);
            }
            Map<Long, QueueMessage> messages = new java.util.HashMap<>();
            List<DueDomain> out = new ArrayList<>();
            for (var e : grouped.entrySet()) {
                List<DueMessage> ms = new ArrayList<>();
                for (var m : e.getValue().entrySet()) {
                    QueueMessage qm = messages.get(m.getKey());
                    if (qm == null) {
                        Optional<QueueMessage> loaded = message(c, m.getKey());
                        if (loaded.isEmpty()) continue; // deleted meanwhile (cascade makes this unlikely)
                        qm = loaded.get();
                        messages.put(qm.id(), qm);
                    }
                    ms.add(new DueMessage(qm, m.getValue()));
                }
                if (!ms.isEmpty()) out.add(new DueDomain(e.getKey(), ms));
            }
            return out;
        });
    }

    @Override
    public Optional<Instant> nextDue() {
        return db.read(c -> Sql.one(c, "SELECT MIN(next_attempt_at) FROM remote_deliveries WHERE state = 'PENDING' AND held = 0",
                rs -> instant(rs, 1)));
    }

    @Override
    public void record(List<Result> results) {
        if (results.isEmpty()) return;
        writer.write(c -> {
            for (Result r : results) {
                String reply = clip(r.reply());
                String mta = clip(r.remoteMta());
                int n = switch (r) {
                    case Delivered d -> Sql.update(c, "UPDATE remote_deliveries SET state = 'DELIVERED', attempts = attempts + 1, "
                                    + "first_attempt_at = COALESCE(first_attempt_at, ?), last_attempt_at = ?, done_at = ?, "
                                    + "last_reply = ?, remote_mta = ?, dsn_pending = ? WHERE id = ?",
                            d.at().toEpochMilli(), d.at().toEpochMilli(), d.at().toEpochMilli(), reply, mta,
                            d.dsn() == null ? null : d.dsn().wire(), d.deliveryId());
                    case Failed f -> Sql.update(c, "UPDATE remote_deliveries SET state = 'FAILED', attempts = attempts + 1, "
                                    + "first_attempt_at = COALESCE(first_attempt_at, ?), last_attempt_at = ?, done_at = ?, "
                                    + "last_reply = ?, remote_mta = ?, dsn_pending = ? WHERE id = ?",
                            f.at().toEpochMilli(), f.at().toEpochMilli(), f.at().toEpochMilli(), reply, mta,
                            f.dsn() ? DsnAction.FAILED.wire() : null, f.deliveryId());
                    case Deferred d -> d.delayDsn()
                            // the delay DSN is owed once: only while warned_at is still empty
                            ? Sql.update(c, "UPDATE remote_deliveries SET attempts = attempts + 1, "
                                    + "first_attempt_at = COALESCE(first_attempt_at, ?), last_attempt_at = ?, next_attempt_at = ?, "
                                    + "last_reply = ?, remote_mta = ?, "
                                    + "dsn_pending = CASE WHEN warned_at IS NULL THEN 'delayed' ELSE dsn_pending END, "
                                    + "warned_at = COALESCE(warned_at, ?) WHERE id = ? AND state = 'PENDING'",
                            d.at().toEpochMilli(), d.at().toEpochMilli(), d.nextAttemptAt().toEpochMilli(), reply, mta,
                            d.at().toEpochMilli(), d.deliveryId())
                            : Sql.update(c, "UPDATE remote_deliveries SET attempts = attempts + 1, "
                                    + "first_attempt_at = COALESCE(first_attempt_at, ?), last_attempt_at = ?, next_attempt_at = ?, "
                                    + "last_reply = ?, remote_mta = ? WHERE id = ? AND state = 'PENDING'",
                            d.at().toEpochMilli(), d.at().toEpochMilli(), d.nextAttemptAt().toEpochMilli(), reply, mta, d.deliveryId());
                };
                if (n == 0 && Sql.one(c, "SELECT id FROM remote_deliveries WHERE id = ?", rs -> rs.getLong(1), r.deliveryId()).isEmpty()) {
                    throw new IllegalArgumentException("no remote delivery " + r.deliveryId());
                }
            }
            return null;
        });
    }

    private static String clip(String s) {
        if (s == null) return null;
        s = s.replace("\0", "");
        return s.length() <= MAX_REPLY ? s : s.substring(0, MAX_REPLY);
    }

    @Override
    public void prepared(long queueMessageId, BlobRef prepared) {
        if (prepared != null && !blobs.exists(prepared.id())) throw new IllegalArgumentException("blob " + prepared.id() + " is not stored");
        writer.write(c -> prepared == null
                ? Sql.update(c, "UPDATE queue_messages SET outbound_prepared = 1 WHERE id = ?", queueMessageId)
                : Sql.update(c, "UPDATE queue_messages SET outbound_prepared = 1, blob_id = ?, blob_size = ? WHERE id = ?",
                prepared.id(), prepared.size(), queueMessageId));
    }

    @Override
    public List<Notification> pendingNotifications(int limit) {
        if (limit <= 0) return List.of();
        return db.read(c -> {
            List<Long> ids = Sql.query(c, "SELECT DISTINCT queue_message_id FROM remote_deliveries WHERE dsn_pending IS NOT NULL "
                    + "ORDER BY queue_message_id LIMIT ?", rs -> rs.getLong(1), Math.min(limit, MAX_BATCH));
            List<Notification> out = new ArrayList<>();
            for (long id : ids) {
                Optional<QueueMessage> m = message(c, id);
                if (m.isEmpty()) continue;
                out.add(new Notification(m.get(), Sql.query(c, "SELECT " + COLS + FROM
                        + "WHERE d.queue_message_id = ? AND d.dsn_pending IS NOT NULL ORDER BY d.id", JdbcOutboundQueue::delivery, id)));
            }
            return out;
        });
    }

    @Override
    public long enqueueNotification(Spool.Envelope env, BlobRef blob, List<Long> deliveryIds) {
        if (env.recipients().isEmpty()) throw new IllegalArgumentException("no recipients");
        if (!blobs.exists(blob.id())) throw new IllegalArgumentException("blob " + blob.id() + " is not stored");
        return writer.write(c -> {
            long now = clock.millis();
            // the same rows as Spool.enqueue writes
            long qid = Sql.insertId(c, "INSERT INTO queue_messages (blob_id, blob_size, mail_from, client_address, helo, auth_user, "
                            + "session_id, require_tls, smtp_utf8, body_type, dsn_ret, dsn_envid, received_at, queued_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    blob.id(), blob.size(), env.mailFrom(), env.clientAddress(), env.helo(), env.authUser(),
                    env.sessionId(), env.requireTls(), env.smtpUtf8(), env.bodyType(), env.dsnRet(), env.dsnEnvid(),
                    env.receivedAt().toEpochMilli(), now);
            for (Spool.Recipient r : env.recipients()) {
                Sql.update(c, "INSERT INTO queue_recipients (queue_message_id, address, dsn_notify, orcpt, state, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", qid, r.address(), r.dsnNotify(), r.orcpt(), Spool.RecipientState.PENDING.name(), now);
            }
            clear(c, deliveryIds);
            return qid;
        });
    }

    @Override
    public void clearNotifications(List<Long> deliveryIds) {
        if (deliveryIds.isEmpty()) return;
        writer.write(c -> {
            clear(c, deliveryIds);
            return null;
        });
    }

    private static void clear(Connection c, List<Long> ids) throws SQLException {
        for (long id : ids) Sql.update(c, "UPDATE remote_deliveries SET dsn_pending = NULL WHERE id = ?", id);
    }

    @Override
    public int purgeFinished() {
        return writer.write(c -> Sql.update(c, "DELETE FROM queue_messages WHERE local_done_at IS NOT NULL "
                + "AND EXISTS (SELECT 1 FROM remote_deliveries d WHERE d.queue_message_id = queue_messages.id) "
                + "AND NOT EXISTS (SELECT 1 FROM remote_deliveries d WHERE d.queue_message_id = queue_messages.id "
                + "AND (d.state = 'PENDING' OR d.dsn_pending IS NOT NULL))"));
    }

    // ---- administration ----

    @Override
    public List<Entry> list(int limit) {
        if (limit <= 0) return List.of();
        return db.read(c -> {
            List<Long> ids = Sql.query(c, "SELECT DISTINCT queue_message_id FROM remote_deliveries ORDER BY queue_message_id LIMIT ?",
                    rs -> rs.getLong(1), limit);
            List<Entry> out = new ArrayList<>();
            for (long id : ids) entry(c, id).ifPresent(out::add);
            return out;
        });
    }

    @Override
    public Depth depth() {
        return db.read(c -> Sql.one(c, "SELECT COUNT(*), MIN(m.received_at) FROM remote_deliveries d "
                        + "JOIN queue_messages m ON m.id = d.queue_message_id WHERE d.state = 'PENDING'",
                rs -> {
                    long n = rs.getLong(1);
                    long oldest = rs.getLong(2);
                    return new Depth(n, n == 0 || rs.wasNull() ? null : Instant.ofEpochMilli(oldest));
                }).orElse(new Depth(0, null)));
    }

    private static Optional<Entry> entry(Connection c, long id) throws SQLException {
        Optional<QueueMessage> m = message(c, id);
        if (m.isEmpty()) return Optional.empty();
        List<Delivery> ds = Sql.query(c, "SELECT " + COLS + FROM + "WHERE d.queue_message_id = ? ORDER BY d.id", JdbcOutboundQueue::delivery, id);
        if (ds.isEmpty()) return Optional.empty();
        return Optional.of(new Entry(m.get(), ds));
    }

    @Override
    public Optional<Entry> show(long queueMessageId) {
        return db.read(c -> entry(c, queueMessageId));
    }

    @Override
    public int hold(long queueMessageId) {
        return writer.write(c -> Sql.update(c, "UPDATE remote_deliveries SET held = 1 WHERE queue_message_id = ? AND state = 'PENDING' AND held = 0",
                queueMessageId));
    }

    @Override
    public int release(long queueMessageId) {
        return writer.write(c -> Sql.update(c, "UPDATE remote_deliveries SET held = 0, next_attempt_at = ? "
                + "WHERE queue_message_id = ? AND state = 'PENDING' AND held = 1", clock.millis(), queueMessageId));
    }

    @Override
    public int retryNow(long queueMessageId) {
        return writer.write(c -> Sql.update(c, "UPDATE remote_deliveries SET next_attempt_at = ? "
                + "WHERE queue_message_id = ? AND state = 'PENDING' AND held = 0", clock.millis(), queueMessageId));
    }

    @Override
    public int retryAll() {
        return writer.write(c -> Sql.update(c, "UPDATE remote_deliveries SET next_attempt_at = ? WHERE state = 'PENDING' AND held = 0",
                clock.millis()));
    }

    @Override
    public int prioritize(long queueMessageId, int priority) {
        return writer.write(c -> Sql.update(c, "UPDATE remote_deliveries SET priority = ? WHERE queue_message_id = ?", priority, queueMessageId));
    }

    @Override
    public boolean delete(long queueMessageId) {
        return writer.write(c -> Sql.update(c, "DELETE FROM queue_messages WHERE id = ?", queueMessageId) > 0);
    }

    @Override
    public int bounce(long queueMessageId, String reason) {
        String why = clip(reason == null || reason.isBlank() ? "554 5.0.0 Bounced by the administrator" : reason);
        return writer.write(c -> {
            String mailFrom = Sql.one(c, "SELECT mail_from FROM queue_messages WHERE id = ?", rs -> rs.getString(1), queueMessageId).orElse(null);
            if (mailFrom == null) return 0;
            long now = clock.millis();
            int n = 0;
            for (Delivery d : Sql.query(c, "SELECT " + COLS + FROM + "WHERE d.queue_message_id = ? AND d.state = 'PENDING'",
                    JdbcOutboundQueue::delivery, queueMessageId)) {
                // RFC 3461 §4.1: a failure DSN unless NOTIFY says otherwise; never for the null sender
                boolean dsn = !mailFrom.isEmpty() && (d.notifyAbsent() || d.notifies("FAILURE"));
                n += Sql.update(c, "UPDATE remote_deliveries SET state = 'FAILED', held = 0, done_at = ?, last_reply = ?, "
                        + "dsn_pending = ? WHERE id = ?", now, why, dsn ? DsnAction.FAILED.wire() : null, d.id());
            }
            return n;
        });
    }
}
