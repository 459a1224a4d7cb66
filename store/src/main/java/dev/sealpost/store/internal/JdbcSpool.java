package dev.sealpost.store.internal;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobWriter;
import dev.sealpost.store.MessageSummary;
import dev.sealpost.store.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link Spool} over {@code queue_messages}, {@code queue_recipients}, {@code deliveries},
 * {@code remote_deliveries} and the mailbox tables. All writes go through the group-commit writer.
 */
final class JdbcSpool implements Spool {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSpool.class);
    /** Recipients per message accepted by {@link #enqueue}; RFC 5321 §4.5.3.1.8 asks for at least 100. */
    static final int MAX_RECIPIENTS = 10_000;

    private final Database db;
    private final GroupCommitWriter writer;
    private final TieredBlobStore blobs;
    private final Clock clock;
    private final List<Runnable> enqueuedListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> deliveredListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> remoteListeners = new CopyOnWriteArrayList<>();
    private final MailboxEvents mailboxEvents;

    JdbcSpool(Database db, GroupCommitWriter writer, TieredBlobStore blobs, Clock clock, MailboxEvents mailboxEvents) {
        this.mailboxEvents = mailboxEvents;
        this.db = db;
        this.writer = writer;
        this.blobs = blobs;
        this.clock = clock;
    }

    @Override
    public long enqueue(Envelope env, BlobRef blob, String folder) {
        checkRecipients(env);
        // the blob must be durable before the row that points to it: a file now, or a row seen by
        // this transaction (checked there, so that no extra read precedes the write)
        if (!FsBlobStore.validId(blob.id())) throw new IllegalArgumentException("blob " + blob.id() + " is not stored");
        boolean file = blobs.files().exists(blob.id());
        long id = writer.write(c -> {
            if (!file && !blobs.rowExists(c, blob.id())) throw new IllegalArgumentException("blob " + blob.id() + " is not stored");
            return insertQueued(c, env, blob, folder, null);
        });
        fire(enqueuedListeners);
        return id;
    }

    @Override
    public Enqueued enqueue(Envelope env, BlobWriter content, String folder) throws IOException {
        return enqueue(env, content, folder, null);
    }

    @Override
    public Enqueued enqueue(Envelope env, BlobWriter content, String folder, LocalFiling filing) throws IOException {
        return enqueue(env, content, folder, filing, null);
    }

    @Override
    public Enqueued enqueue(Envelope env, BlobWriter content, String folder, LocalFiling filing, Journal journal) throws IOException {
        try (content) {
            checkRecipients(env);
            if (filing != null) {
                for (int i : filing.accountsByRecipient().keySet()) {
                    if (i < 0 || i >= env.recipients().size()) throw new IllegalArgumentException("no recipient #" + i);
                }
            }
            InlineBlob inline = content instanceof TieredBlobWriter tw && tw.store() == blobs ? tw.pendingInline() : null;
            BlobRef blob;
            if (inline == null) {
                // large (or foreign) content: the file is fsync'd and renamed before the row that points to it
                blob = content.commit();
                if (!blobs.exists(blob.id())) throw new IllegalArgumentException("blob " + blob.id() + " is not stored");
            } else {
                blob = inline.ref();
            }
            record Outcome(long id, int copies, boolean pending) {}
            List<MailboxEvents.Touch> touched = new ArrayList<>();
            // small content: the blob row, the queue rows and the local mailbox copies commit together,
            // one WAL fsync shared by the whole group commit
            Outcome o = writer.write(c -> {
                touched.clear();
                if (inline != null) blobs.insert(c, inline);
                if (filing == null || filing.accountsByRecipient().isEmpty()) {
                    long qid = insertQueued(c, env, blob, folder, null);
                    // the acceptance's evidence records commit with it (docs/evidence.md "One durable round trip")
                    if (journal != null) JdbcEvidenceJournal.insert(c, journal.entries(qid, blob), clock.millis());
                    return new Outcome(qid, 0, true);
                }
                List<Long> rcptIds = new ArrayList<>();
                long qid = insertQueued(c, env, blob, folder, rcptIds);
                long now = clock.millis();
                int copies = 0;
                for (var e : filing.accountsByRecipient().entrySet()) {
                    copies += fileCopies(c, qid, new ToMailboxes(rcptIds.get(e.getKey()), e.getValue()), folder, blob.id(), blob.size(),
                            now, filing.summary(), touched);
                }
                if (journal != null) JdbcEvidenceJournal.insert(c, journal.entries(qid, blob), now);
                boolean pending = filing.accountsByRecipient().size() < rcptIds.size();
                if (!pending) {
                    Sql.update(c, "UPDATE queue_messages SET local_done_at = ? WHERE id = ?", now, qid);
                }
                return new Outcome(qid, copies, pending);
            });
            if (inline != null) ((TieredBlobWriter) content).storedInline();
            if (o.pending()) fire(enqueuedListeners);
            if (o.copies() > 0) fire(deliveredListeners);
            mailboxEvents.fire(touched); // after the commit: IMAP IDLE sessions wake up
            return new Enqueued(o.id(), blob);
        }
    }

    private static void checkRecipients(Envelope env) {
        if (env.recipients().isEmpty()) throw new IllegalArgumentException("no recipients");
        if (env.recipients().size() > MAX_RECIPIENTS) throw new IllegalArgumentException("too many recipients: " + env.recipients().size());
    }

    /**
     * Inserts the queue rows of one message in the caller's transaction; returns its id.
     *
     * @param recipientIds when not null, receives the recipients' row ids in envelope order
     */
    private long insertQueued(Connection c, Envelope env, BlobRef blob, String folder, List<Long> recipientIds) throws SQLException {
        long now = clock.millis();
        long qid = Sql.insertId(c, "INSERT INTO queue_messages (blob_id, blob_size, mail_from, client_address, helo, auth_user, "
                        + "session_id, require_tls, smtp_utf8, body_type, dsn_ret, dsn_envid, received_at, queued_at, folder) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                blob.id(), blob.size(), env.mailFrom(), env.clientAddress(), env.helo(), env.authUser(),
                env.sessionId(), env.requireTls(), env.smtpUtf8(), env.bodyType(), env.dsnRet(), env.dsnEnvid(),
                env.receivedAt().toEpochMilli(), now, folder);
        for (Recipient r : env.recipients()) {
            String sql = "INSERT INTO queue_recipients (queue_message_id, address, dsn_notify, orcpt, state, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)";
            Object[] args = {qid, r.address(), r.dsnNotify(), r.orcpt(), RecipientState.PENDING.name(), now};
            if (recipientIds == null) Sql.update(c, sql, args);
            else recipientIds.add(Sql.insertId(c, sql, args));
        }
        return qid;
    }

    @Override
    public java.util.OptionalLong enqueueOnce(String key, Envelope env, BlobRef blob) {
        checkRecipients(env);
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("a send key is needed");
        if (!FsBlobStore.validId(blob.id())) throw new IllegalArgumentException("blob " + blob.id() + " is not stored");
        boolean file = blobs.files().exists(blob.id());
        Long id = writer.write(c -> {
            if (!file && !blobs.rowExists(c, blob.id())) throw new IllegalArgumentException("blob " + blob.id() + " is not stored");
            // the key first: a redo finds it and queues nothing (one transaction with the queue rows)
            int claimed = Sql.update(c, "INSERT INTO sieve_sends (send_key, queue_message_id, created_at) VALUES (?, 0, ?) "
                    + "ON CONFLICT DO NOTHING", key, clock.millis());
            if (claimed == 0) return null;
            long qid = insertQueued(c, env, blob, null, null);
            Sql.update(c, "UPDATE sieve_sends SET queue_message_id = ? WHERE send_key = ?", qid, key);
            return qid;
        });
        if (id == null) return java.util.OptionalLong.empty();
        fire(enqueuedListeners);
        return java.util.OptionalLong.of(id);
    }

    @Override
    public int purgeSendKeys(Instant before) {
        return writer.write(c -> Sql.update(c, "DELETE FROM sieve_sends WHERE created_at < ?", before.toEpochMilli()));
    }

    @Override
    public List<QueuedMessage> pendingLocal(int limit) {
        if (limit <= 0) return List.of();
        return db.read(c -> load(c, Sql.query(c,
                "SELECT DISTINCT queue_message_id FROM queue_recipients WHERE state = ? ORDER BY queue_message_id LIMIT ?",
                rs -> rs.getLong(1), RecipientState.PENDING.name(), limit)));
    }

    @Override
    public Optional<QueuedMessage> get(long id) {
        return db.read(c -> load(c, List.of(id))).stream().findFirst();
    }

    @Override
    public List<QueuedMessage> list(int limit) {
        if (limit <= 0) return List.of();
        return db.read(c -> load(c, Sql.query(c, "SELECT id FROM queue_messages ORDER BY id LIMIT ?", rs -> rs.getLong(1), limit)));
    }

    /** Loads messages with their recipients, in the order of {@code ids}. */
    private static List<QueuedMessage> load(Connection c, List<Long> ids) throws SQLException {
        List<QueuedMessage> out = new ArrayList<>(ids.size());
        for (long id : ids) {
            List<QueuedRecipient> rcpts = Sql.query(c, "SELECT id, address, dsn_notify, orcpt, state FROM queue_recipients "
                            + "WHERE queue_message_id = ? ORDER BY id",
                    rs -> new QueuedRecipient(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            RecipientState.valueOf(rs.getString(5))), id);
            Sql.one(c, "SELECT * FROM queue_messages WHERE id = ?", rs -> message(rs, rcpts), id).ifPresent(out::add);
        }
        return out;
    }

    private static QueuedMessage message(ResultSet rs, List<QueuedRecipient> rcpts) throws SQLException {
        List<Recipient> envRcpts = rcpts.stream().map(r -> new Recipient(r.address(), r.dsnNotify(), r.orcpt())).toList();
        Envelope env = new Envelope(rs.getString("mail_from"), envRcpts, rs.getString("client_address"), rs.getString("helo"),
                rs.getString("auth_user"), rs.getString("session_id"), rs.getInt("require_tls") != 0,
                rs.getInt("smtp_utf8") != 0, rs.getString("body_type"), rs.getString("dsn_ret"), rs.getString("dsn_envid"),
                Instant.ofEpochMilli(rs.getLong("received_at")));
        return new QueuedMessage(rs.getLong("id"), new BlobRef(rs.getString("blob_id"), rs.getLong("blob_size")), env, rcpts);
    }

    @Override
    public void complete(long queueMessageId, List<Disposition> dispositions, MessageSummary summary) {
        List<MailboxEvents.Touch> touched = new ArrayList<>();
        int stored = writer.write(c -> {
            touched.clear();
            record Msg(String blobId, long size, String folder) {}
            Msg msg = Sql.one(c, "SELECT blob_id, blob_size, folder FROM queue_messages WHERE id = ?",
                            rs -> new Msg(rs.getString(1), rs.getLong(2), rs.getString(3)), queueMessageId)
                    .orElseThrow(() -> new IllegalArgumentException("no queued message " + queueMessageId));
            Set<Long> ownRecipients = new HashSet<>(Sql.query(c, "SELECT id FROM queue_recipients WHERE queue_message_id = ?",
                    rs -> rs.getLong(1), queueMessageId));
            long now = clock.millis();
            int copies = 0;
            for (Disposition d : dispositions) {
                if (!ownRecipients.contains(d.recipientId())) {
                    throw new IllegalArgumentException("recipient " + d.recipientId() + " is not part of queued message " + queueMessageId);
                }
                switch (d) {
                    case ToMailboxes tm -> copies += fileCopies(c, queueMessageId, tm, msg.folder(), msg.blobId(), msg.size(),
                            now, summary, touched);
                    case ToFolders tf -> copies += fileFolders(c, queueMessageId, tf, msg.folder(), msg.blobId(), msg.size(), now, summary, touched);
                    case Failed f -> setState(c, d.recipientId(), RecipientState.FAILED, f.reason(), now);
                    case Remote r -> {
                        for (String address : new java.util.LinkedHashSet<>(r.addresses())) {
                            // insert-or-ignore: a redo keeps a single row per (recipient, address)
                            Sql.update(c, "INSERT INTO remote_deliveries (queue_message_id, recipient_id, address, state, next_attempt_at) "
                                    + "VALUES (?, ?, ?, 'PENDING', ?) ON CONFLICT DO NOTHING", queueMessageId, d.recipientId(), address, now);
                        }
                        setState(c, d.recipientId(), RecipientState.REMOTE, null, now);
                    }
                }
            }
            long pending = Sql.one(c, "SELECT COUNT(*) FROM queue_recipients WHERE queue_message_id = ? AND state = ?",
                    rs -> rs.getLong(1), queueMessageId, RecipientState.PENDING.name()).orElse(0L);
            if (pending == 0) {
                Sql.update(c, "UPDATE queue_messages SET local_done_at = ? WHERE id = ? AND local_done_at IS NULL", now, queueMessageId);
            }
            return copies;
        });
        if (stored > 0) fire(deliveredListeners);
        // after the commit: the outbound queue starts on remote recipients at once, not at its next poll
        if (dispositions.stream().anyMatch(d -> d instanceof Remote)) fire(remoteListeners);
        mailboxEvents.fire(touched); // after the commit: IMAP IDLE sessions wake up
    }

    /**
     * Files one copy per account into the requested folder (else INBOX) and marks the recipient
     * DELIVERED, or FAILED when none of its accounts has a mailbox any more.
     *
     * @return the number of copies stored (a redo stores none)
     */
    private static int fileCopies(Connection c, long queueMessageId, ToMailboxes tm, String folder, String blobId, long size,
                                  long now, MessageSummary summary, List<MailboxEvents.Touch> touched) throws SQLException {
        int delivered = 0, copies = 0;
        for (long accountId : new java.util.LinkedHashSet<>(tm.accountIds())) {
            // the folder asked for at acceptance (e.g. \Junk for DMARC quarantine), else INBOX
            Optional<Long> inbox = folder == null ? Optional.empty()
                    : Sql.one(c, "SELECT id FROM mailboxes WHERE account_id = ? AND special_use = ?",
                    rs -> rs.getLong(1), accountId, folder);
            if (inbox.isEmpty()) {
                inbox = Sql.one(c, "SELECT id FROM mailboxes WHERE account_id = ? AND name = 'INBOX'",
                        rs -> rs.getLong(1), accountId);
            }
            if (inbox.isEmpty()) {
                LOG.warn("queue {}: account {} has no INBOX (removed?), copy skipped", queueMessageId, accountId);
                continue;
            }
            delivered++;
            int n = storeCopy(c, queueMessageId, accountId, inbox.get(), blobId, size, now, summary);
            if (n > 0) touched.add(new MailboxEvents.Touch(accountId, inbox.get()));
            copies += n;
        }
        if (delivered == 0 && !tm.accountIds().isEmpty()) {
            setState(c, tm.recipientId(), RecipientState.FAILED, "mailbox no longer exists", now);
        } else {
            setState(c, tm.recipientId(), RecipientState.DELIVERED, null, now);
        }
        return copies;
    }

    /**
     * Files a Sieve script's copies for one account and marks the recipient DELIVERED; a redo
     * (the account's {@code deliveries} row exists) stores nothing. A keep (no mailbox named) goes
     * where {@link ToMailboxes} would put the message: the folder asked for at acceptance (e.g.
     * {@code \Junk} for DMARC quarantine), else INBOX. A copy whose mailbox does not exist goes to
     * INBOX; without an INBOX the copy is skipped, and with none stored the recipient FAILED.
     *
     * @return the number of copies stored
     */
    private static int fileFolders(Connection c, long queueMessageId, ToFolders tf, String folder, String blobId, long size, long now,
                                   MessageSummary summary, List<MailboxEvents.Touch> touched) throws SQLException {
        long accountId = tf.accountId();
        int claimed = Sql.update(c, "INSERT INTO deliveries (queue_message_id, account_id, message_id, delivered_at) "
                + "VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING", queueMessageId, accountId, now);
        if (claimed == 0) {
            setState(c, tf.recipientId(), RecipientState.DELIVERED, null, now);
            return 0;
        }
        Optional<Long> inbox = Sql.one(c, "SELECT id FROM mailboxes WHERE account_id = ? AND name = 'INBOX'", rs -> rs.getLong(1), accountId);
        Optional<Long> keepBox = folder == null ? Optional.empty()
                : Sql.one(c, "SELECT id FROM mailboxes WHERE account_id = ? AND special_use = ?", rs -> rs.getLong(1), accountId, folder);
        if (keepBox.isEmpty()) keepBox = inbox;
        int copies = 0;
        long first = 0;
        for (Copy copy : tf.copies()) {
            Optional<Long> box = copy.mailbox() == null ? keepBox : copy.mailbox().equalsIgnoreCase("INBOX") ? inbox
                    : Sql.one(c, "SELECT id FROM mailboxes WHERE account_id = ? AND name = ?", rs -> rs.getLong(1), accountId, copy.mailbox());
            if (box.isEmpty()) box = inbox;
            if (box.isEmpty()) {
                LOG.warn("queue {}: account {} has no INBOX (removed?), copy skipped", queueMessageId, accountId);
                continue;
            }
            record Next(long uid, long modseq) {}
            long mailboxId = box.get();
            Next next = Sql.one(c, "UPDATE mailboxes SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1 "
                            + "WHERE id = ? RETURNING uid_next - 1, highest_modseq", rs -> new Next(rs.getLong(1), rs.getLong(2)), mailboxId)
                    .orElseThrow(() -> new SQLException("mailbox " + mailboxId + " vanished"));
            // an edited copy (RFC 5293) has its own blob; its structure differs, so no cached summary (rebuilt when read)
            String copyBlob = copy.blob() == null ? blobId : copy.blob().id();
            long copySize = copy.blob() == null ? size : copy.blob().size();
            long messageId = JdbcMailboxes.insertMessage(c, accountId, mailboxId, next.uid(), next.modseq(), copyBlob, copySize, now, now,
                    JdbcMailboxes.flagColumn(validFlags(copy.flags())), queueMessageId, copy.blob() == null ? summary : null);
            if (first == 0) first = messageId;
            Sql.update(c, "UPDATE accounts SET used_bytes = used_bytes + ? WHERE id = ?", copySize, accountId);
            touched.add(new MailboxEvents.Touch(accountId, mailboxId));
            copies++;
        }
        if (first != 0) {
            Sql.update(c, "UPDATE deliveries SET message_id = ? WHERE queue_message_id = ? AND account_id = ?", first, queueMessageId, accountId);
        }
        boolean failed = copies == 0 && !tf.copies().isEmpty();
        setState(c, tf.recipientId(), failed ? RecipientState.FAILED : RecipientState.DELIVERED, failed ? "mailbox no longer exists" : null, now);
        return copies;
    }

    /** The flags that are IMAP flags or keywords (RFC 9051 §9), canonical; a script's others are dropped. */
    private static List<String> validFlags(List<String> flags) {
        List<String> ok = new ArrayList<>();
        for (String f : flags) {
            try {
                ok.addAll(JdbcMailboxes.canonicalFlags(List.of(f)));
            } catch (IllegalArgumentException e) {
                // not an atom: a script's typo must not stop delivery
            }
        }
        return JdbcMailboxes.canonicalFlags(ok);
    }

    /**
     * Stores one copy in an INBOX unless this (queue message, account) was delivered before:
     * the {@code deliveries} primary key makes a redo after a crash a no-op.
     *
     * @return 1 when a copy was stored, 0 for a duplicate
     */
    private static int storeCopy(Connection c, long queueMessageId, long accountId, long mailboxId, String blobId, long size,
                                 long now, MessageSummary summary) throws SQLException {
        int claimed = Sql.update(c, "INSERT INTO deliveries (queue_message_id, account_id, message_id, delivered_at) "
                + "VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING", queueMessageId, accountId, now);
        if (claimed == 0) return 0;
        // RFC 3501 §2.3.1.1 UIDs strictly ascending; RFC 7162 §3.1 MODSEQ strictly increasing per mailbox
        record Next(long uid, long modseq) {}
        Next next = Sql.one(c, "UPDATE mailboxes SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1 "
                        + "WHERE id = ? RETURNING uid_next - 1, highest_modseq", rs -> new Next(rs.getLong(1), rs.getLong(2)), mailboxId)
                .orElseThrow(() -> new SQLException("mailbox " + mailboxId + " vanished"));
        // RFC 3501 §2.3.3: internal date of a delivered message is the time of final delivery; RFC 8514 SAVEDATE the same
        long messageId = JdbcMailboxes.insertMessage(c, accountId, mailboxId, next.uid(), next.modseq(), blobId, size, now, now,
                "", queueMessageId, summary);
        Sql.update(c, "UPDATE deliveries SET message_id = ? WHERE queue_message_id = ? AND account_id = ?", messageId, queueMessageId, accountId);
        Sql.update(c, "UPDATE accounts SET used_bytes = used_bytes + ? WHERE id = ?", size, accountId);
        return 1;
    }

    /** Cache text: at most {@link MessageSummary#MAX_TEXT} chars, no surrogate pair split, no NUL (PostgreSQL TEXT refuses it). */
    static String text(String s) {
        if (s == null) return null;
        s = s.replace("\0", "");
        if (s.length() <= MessageSummary.MAX_TEXT) return s;
        int end = MessageSummary.MAX_TEXT;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }

    private static void setState(Connection c, long recipientId, RecipientState state, String reason, long now) throws SQLException {
        Sql.update(c, "UPDATE queue_recipients SET state = ?, reason = ?, updated_at = ? WHERE id = ?", state.name(), reason, now, recipientId);
    }

    @Override
    public long commitCount() {
        return writer.commitCount();
    }

    @Override
    public boolean storageFull() {
        return writer.recentlyFull();
    }

    @Override
    public void onEnqueued(Runnable listener) {
        enqueuedListeners.add(listener);
    }

    @Override
    public void onDelivered(Runnable listener) {
        deliveredListeners.add(listener);
    }

    @Override
    public void onRemoteQueued(Runnable listener) {
        remoteListeners.add(listener);
    }

    private static void fire(List<Runnable> listeners) {
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("spool listener failed", e);
            }
        }
    }
}
