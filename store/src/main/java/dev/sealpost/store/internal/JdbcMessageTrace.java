package dev.sealpost.store.internal;

import dev.sealpost.store.MessageTrace;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** {@link MessageTrace} over the queue and delivery tables (V1, V4) and the cached Message-ID of delivered copies. */
final class JdbcMessageTrace implements MessageTrace {
    private final Database db;

    JdbcMessageTrace(Database db) {
        this.db = db;
    }

    private static Instant at(long ms) {
        return Instant.ofEpochMilli(ms);
    }

    private record Head(long id, String mailFrom, String authUser, String client, long receivedAt, long size) {}

    @Override
    public Optional<Trace> byQueueId(long queueId) {
        return db.read(c -> trace(c, queueId));
    }

    @Override
    public List<Trace> byMessageId(String messageId, int limit) {
        if (messageId == null) return List.of();
        String id = messageId.strip();
        if (id.isEmpty() || id.length() > MAX_MESSAGE_ID) return List.of();
        String bare = id.startsWith("<") && id.endsWith(">") && id.length() > 2 ? id.substring(1, id.length() - 1) : id;
        String bracketed = "<" + bare + ">";
        int max = Math.max(1, Math.min(limit, 100));
        return db.read(c -> {
            List<Long> ids = Sql.query(c, "SELECT DISTINCT queue_message_id FROM messages WHERE header_message_id IN (?, ?) "
                    + "AND queue_message_id IS NOT NULL ORDER BY queue_message_id DESC LIMIT ?", rs -> rs.getLong(1), bracketed, bare, max);
            List<Trace> out = new ArrayList<>();
            for (long q : ids) trace(c, q).ifPresent(out::add);
            return out;
        });
    }

    private static Optional<Trace> trace(Connection c, long queueId) throws SQLException {
        Optional<Head> head = Sql.one(c, "SELECT id, mail_from, auth_user, client_address, received_at, blob_size FROM queue_messages WHERE id = ?",
                rs -> new Head(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6)), queueId);
        if (head.isEmpty()) return Optional.empty();
        Head h = head.get();
        List<Event> events = new ArrayList<>();
        String from = (h.client() == null ? "" : "from " + h.client()) + (h.authUser() == null ? "" : " authenticated as " + h.authUser());
        events.add(new Event(at(h.receivedAt()), "received", h.mailFrom(), from.isBlank() ? null : from.strip(), null));
        List<String> recipients = new ArrayList<>();
        for (Object[] r : Sql.query(c, "SELECT address, state, reason, updated_at FROM queue_recipients WHERE queue_message_id = ? ORDER BY id",
                rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)}, queueId)) {
            recipients.add((String) r[0]);
            if ("FAILED".equals(r[1])) events.add(new Event(at((Long) r[3]), "failed", (String) r[0], (String) r[2], null));
        }
        for (Object[] d : Sql.query(c, "SELECT a.address, d.delivered_at FROM deliveries d JOIN accounts a ON a.id = d.account_id "
                + "WHERE d.queue_message_id = ? ORDER BY d.delivered_at", rs -> new Object[]{rs.getString(1), rs.getLong(2)}, queueId)) {
            events.add(new Event(at((Long) d[1]), "delivered", (String) d[0], "local mailbox", null));
        }
        for (Object[] r : Sql.query(c, "SELECT address, state, attempts, held, last_reply, remote_mta, last_attempt_at, done_at, next_attempt_at "
                        + "FROM remote_deliveries WHERE queue_message_id = ? ORDER BY id",
                rs -> {
                    long last = rs.getLong(7);
                    Long lastAt = rs.wasNull() ? null : last;
                    long done = rs.getLong(8);
                    Long doneAt = rs.wasNull() ? null : done;
                    return new Object[]{rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4) != 0, rs.getString(5),
                            rs.getString(6), lastAt, doneAt, rs.getLong(9)};
                }, queueId)) {
            String address = (String) r[0];
            String state = (String) r[1];
            int attempts = (Integer) r[2];
            boolean held = (Boolean) r[3];
            String reply = (String) r[4];
            String mta = (String) r[5];
            Long lastAt = (Long) r[6];
            Long doneAt = (Long) r[7];
            long when = doneAt != null ? doneAt : lastAt != null ? lastAt : h.receivedAt();
            switch (state) {
                case "DELIVERED" -> events.add(new Event(at(when), "relayed", address, reply, mta));
                case "FAILED" -> events.add(new Event(at(when), "bounced", address, reply, mta));
                default -> {
                    if (attempts > 0 && lastAt != null) events.add(new Event(at(lastAt), "deferred", address, reply, mta));
                    if (held) events.add(new Event(at(lastAt != null ? lastAt : h.receivedAt()), "held", address, "held by an administrator", null));
                    else events.add(new Event(at((Long) r[8]), "queued", address, "next attempt (" + attempts + " so far)", null));
                }
            }
        }
        events.sort(Comparator.comparing(Event::at));
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(Sql.query(c,
                "SELECT DISTINCT header_message_id FROM messages WHERE queue_message_id = ? AND header_message_id IS NOT NULL",
                rs -> rs.getString(1), queueId)));
        return Optional.of(new Trace(h.id(), h.mailFrom(), h.authUser(), h.client(), at(h.receivedAt()), h.size(), recipients, ids, events));
    }
}
