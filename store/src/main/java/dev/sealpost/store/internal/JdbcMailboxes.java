package dev.sealpost.store.internal;

import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.MessageSummary;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link Mailboxes} over the {@code mailboxes} and {@code messages} tables. */
final class JdbcMailboxes implements Mailboxes {
    private final Database db;

    JdbcMailboxes(Database db) {
        this.db = db;
    }

    @Override
    public List<MailboxInfo> list(long accountId) {
        return db.read(c -> Sql.query(c, "SELECT m.id, m.name, m.special_use, m.uid_validity, m.uid_next, m.highest_modseq, "
                        + "(SELECT COUNT(*) FROM messages x WHERE x.mailbox_id = m.id) AS n FROM mailboxes m "
                        + "WHERE m.account_id = ? ORDER BY CASE WHEN m.name = 'INBOX' THEN 0 ELSE 1 END, m.name",
                rs -> new MailboxInfo(rs.getLong(1), accountId, rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getInt(7), 0, 0, true, 0), accountId));
    }

    @Override
    public List<MessageInfo> messages(long accountId, String mailboxName) {
        // RFC 3501 §5.1: INBOX is case-insensitive; other names are exact
        String name = mailboxName.equalsIgnoreCase("INBOX") ? "INBOX" : mailboxName;
        return db.read(c -> Sql.query(c, "SELECT x.id, x.uid, x.modseq, x.flags, x.internal_date, x.size, x.blob_id "
                        + "FROM messages x JOIN mailboxes m ON m.id = x.mailbox_id "
                        + "WHERE m.account_id = ? AND m.name = ? ORDER BY x.uid",
                rs -> new MessageInfo(rs.getLong(1), rs.getLong(2), rs.getLong(3), flags(rs.getString(4)),
                        Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(5)), null, null), accountId, name));
    }

    @Override
    public Optional<byte[]> structure(long messageId) {
        return db.read(c -> Sql.one(c, "SELECT structure FROM messages WHERE id = ?", rs -> rs.getBytes(1), messageId));
    }

    @Override
    public Optional<MessageSummary> summary(long messageId) {
        return db.read(c -> Sql.one(c, "SELECT structure, header_subject, header_from, header_message_id FROM messages WHERE id = ?",
                rs -> new MessageSummary(rs.getBytes(1), rs.getString(2), rs.getString(3), rs.getString(4)), messageId));
    }

    /** Flags are stored space-separated; system flags keep their backslash. */
    static Set<String> flags(String column) {
        if (column == null || column.isBlank()) return Set.of();
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(column.strip().split(" +"))));
    }


    // TEMPORARY: being implemented (IMAP store work); compile-only placeholders
    private static UnsupportedOperationException todo() { return new UnsupportedOperationException("not implemented yet"); }
    @Override public List<MessageInfo> messages(long mailboxId) { throw todo(); }
    @Override public Optional<MailboxInfo> mailbox(long accountId, String name) { throw todo(); }
    @Override public Optional<MailboxInfo> mailbox(long mailboxId) { throw todo(); }
    @Override public Optional<Changes> changes(long mailboxId, long sinceModSeq) { throw todo(); }
    @Override public MailboxResult create(long accountId, String name, String specialUse) { throw todo(); }
    @Override public MailboxResult delete(long accountId, String name) { throw todo(); }
    @Override public MailboxResult rename(long accountId, String from, String to) { throw todo(); }
    @Override public void subscribe(long accountId, String name, boolean subscribed) { throw todo(); }
    @Override public List<String> subscriptions(long accountId) { throw todo(); }
    @Override public AppendResult append(long mailboxId, List<NewMessage> messages) { throw todo(); }
    @Override public FlagResult store(long mailboxId, java.util.Collection<Long> uids, FlagMode mode, Set<String> flags, long unchangedSince) { throw todo(); }
    @Override public ExpungeResult expunge(long mailboxId, java.util.Collection<Long> uids) { throw todo(); }
    @Override public CopyResult copy(long fromMailboxId, java.util.Collection<Long> uids, long toMailboxId, boolean move) { throw todo(); }
    @Override public void setRights(long mailboxId, String identifier, String rights) { throw todo(); }
    @Override public java.util.Map<String, String> acl(long mailboxId) { throw todo(); }
    @Override public List<SharedMailbox> sharedWith(String identifier) { throw todo(); }
    @Override public java.util.Map<String, String> metadata(long accountId, Long mailboxId, String prefix) { throw todo(); }
    @Override public void setMetadata(long accountId, Long mailboxId, String entry, String value) { throw todo(); }
    @Override public AutoCloseable onChange(MailboxListener listener) { throw todo(); }
}
