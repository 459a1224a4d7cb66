package dev.sealpost.store.internal;

import dev.sealpost.store.BlobStore;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.MessageSummary;
import dev.sealpost.store.internal.MailboxEvents.Touch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Mailboxes} over the {@code mailboxes}, {@code messages}, {@code expunged},
 * {@code subscriptions}, {@code mailbox_acl} and {@code metadata} tables. Every write is one unit
 * of the group-commit writer; listeners run after its commit.
 */
final class JdbcMailboxes implements Mailboxes {
    /** RFC 6154 §2 special-use attributes a mailbox may be created with (RFC 6154 §3 CREATE-SPECIAL-USE). */
    static final List<String> SPECIAL_USES = List.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash");
    /** RFC 9051 §2.3.2 system flags in their canonical spelling ({@code \Recent} is not stored: RFC 9051 dropped it). */
    static final List<String> SYSTEM_FLAGS = List.of("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft");
    /** Longest mailbox name accepted, in chars. */
    static final int MAX_NAME_LENGTH = 1000;
    /** Deepest hierarchy accepted (levels). */
    static final int MAX_NAME_DEPTH = 64;
    /** Message ids of References looked up for a THREADID (the last ones: the nearest ancestors). */
    static final int MAX_THREAD_REFERENCES = 50;
    private static final int IN_CHUNK = 500;
    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]{1,998}>");

    private static final String MAILBOX_QUERY = "SELECT m.id, m.account_id, m.name, m.special_use, m.uid_validity, m.uid_next, "
            + "m.highest_modseq, COUNT(x.id), "
            + "COALESCE(SUM(CASE WHEN x.id IS NULL OR (' ' || x.flags || ' ') LIKE '% \\Seen %' ESCAPE '!' THEN 0 ELSE 1 END), 0), "
            + "COALESCE(SUM(x.size), 0), "
            + "EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = m.account_id AND s.name = m.name), "
            + "COALESCE(SUM(CASE WHEN (' ' || x.flags || ' ') LIKE '% \\Deleted %' ESCAPE '!' THEN 1 ELSE 0 END), 0) "
            + "FROM mailboxes m LEFT JOIN messages x ON x.mailbox_id = m.id ";
    private static final String MAILBOX_GROUP = " GROUP BY m.id, m.account_id, m.name, m.special_use, m.uid_validity, m.uid_next, m.highest_modseq";
    private static final String MESSAGE_COLS = "x.id, x.uid, x.modseq, x.flags, x.internal_date, x.size, x.blob_id, "
            + "x.save_date, x.email_id, x.thread_id";

    private final Database db;
    private final GroupCommitWriter writer;
    private final BlobStore blobs;
    private final Clock clock;
    private final MailboxEvents events;

    JdbcMailboxes(Database db, GroupCommitWriter writer, BlobStore blobs, Clock clock, MailboxEvents events) {
        this.db = db;
        this.writer = writer;
        this.blobs = blobs;
        this.clock = clock;
        this.events = events;
    }

    // ================================================================== reading

    @Override
    public List<MailboxInfo> list(long accountId) {
        return db.read(c -> mailboxesOf(c, accountId));
    }

    @Override
    public List<MessageInfo> messages(long accountId, String mailboxName) {
        String name = normalize(mailboxName);
        if (name == null) return List.of();
        return db.read(c -> Sql.query(c, "SELECT " + MESSAGE_COLS + " FROM messages x JOIN mailboxes m ON m.id = x.mailbox_id "
                + "WHERE m.account_id = ? AND m.name = ? ORDER BY x.uid", JdbcMailboxes::message, accountId, name));
    }

    @Override
    public List<MessageInfo> messages(long mailboxId) {
        return db.read(c -> Sql.query(c, "SELECT " + MESSAGE_COLS + " FROM messages x WHERE x.mailbox_id = ? ORDER BY x.uid",
                JdbcMailboxes::message, mailboxId));
    }

    @Override
    public Optional<MailboxInfo> mailbox(long accountId, String name) {
        String n = normalize(name);
        if (n == null) return Optional.empty();
        return db.read(c -> mailboxByName(c, accountId, n));
    }

    @Override
    public boolean exists(long accountId, String name) {
        String n = normalize(name);
        if (n == null) return false;
        return db.read(c -> Sql.one(c, "SELECT 1 FROM mailboxes WHERE account_id = ? AND name = ?", rs -> 1, accountId, n).isPresent());
    }

    @Override
    public Optional<MailboxInfo> mailbox(long mailboxId) {
        return db.read(c -> mailboxById(c, mailboxId));
    }

    @Override
    public Optional<Changes> changes(long mailboxId, long sinceModSeq) {
        return db.read(c -> {
            Optional<MailboxInfo> box = mailboxById(c, mailboxId);
            if (box.isEmpty()) return Optional.empty();
            // RFC 7162 §3.1.4.1 CHANGEDSINCE, §3.2.5.2 VANISHED (EARLIER)
            List<MessageInfo> changed = Sql.query(c, "SELECT " + MESSAGE_COLS + " FROM messages x WHERE x.mailbox_id = ? "
                    + "AND x.modseq > ? ORDER BY x.uid", JdbcMailboxes::message, mailboxId, sinceModSeq);
            List<Long> gone = Sql.query(c, "SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid",
                    rs -> rs.getLong(1), mailboxId, sinceModSeq);
            return Optional.of(new Changes(box.get(), changed, gone));
        });
    }

    @Override
    public Optional<byte[]> structure(long messageId) {
        return db.read(c -> Sql.one(c, "SELECT structure FROM messages WHERE id = ?", rs -> rs.getBytes(1), messageId));
    }

    @Override
    public Optional<MessageSummary> summary(long messageId) {
        return db.read(c -> Sql.one(c, "SELECT structure, header_subject, header_from, header_message_id, header_references "
                        + "FROM messages WHERE id = ?",
                rs -> new MessageSummary(rs.getBytes(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                messageId));
    }

    /** Flags are stored space-separated; system flags keep their backslash. */
    static Set<String> flags(String column) {
        if (column == null || column.isBlank()) return Set.of();
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(column.strip().split(" +"))));
    }

    private static MessageInfo message(ResultSet rs) throws SQLException {
        Instant internal = Instant.ofEpochMilli(rs.getLong(5));
        long save = rs.getLong(8);
        Instant saveDate = rs.wasNull() ? internal : Instant.ofEpochMilli(save);
        return new MessageInfo(rs.getLong(1), rs.getLong(2), rs.getLong(3), flags(rs.getString(4)), internal, rs.getLong(6),
                rs.getString(7), saveDate, rs.getString(9), rs.getString(10));
    }

    private static MailboxInfo mailboxRow(ResultSet rs) throws SQLException {
        return new MailboxInfo(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getInt(8), rs.getInt(9), rs.getLong(10), rs.getBoolean(11), rs.getInt(12));
    }

    static Optional<MailboxInfo> mailboxById(Connection c, long mailboxId) throws SQLException {
        return Sql.one(c, MAILBOX_QUERY + "WHERE m.id = ?" + MAILBOX_GROUP, JdbcMailboxes::mailboxRow, mailboxId);
    }

    static Optional<MailboxInfo> mailboxByName(Connection c, long accountId, String name) throws SQLException {
        return Sql.one(c, MAILBOX_QUERY + "WHERE m.account_id = ? AND m.name = ?" + MAILBOX_GROUP, JdbcMailboxes::mailboxRow,
                accountId, name);
    }

    /** INBOX first, then by name (in Java: the same order on both dialects, whatever the collation). */
    static List<MailboxInfo> mailboxesOf(Connection c, long accountId) throws SQLException {
        List<MailboxInfo> all = new ArrayList<>(Sql.query(c, MAILBOX_QUERY + "WHERE m.account_id = ?" + MAILBOX_GROUP,
                JdbcMailboxes::mailboxRow, accountId));
        all.sort(Comparator.comparing((MailboxInfo m) -> !m.name().equals("INBOX")).thenComparing(MailboxInfo::name));
        return all;
    }

    // ================================================================== names

    /**
     * The stored form of a name: a first level matching {@code INBOX} in any case becomes
     * {@code INBOX} (RFC 9051 §5.1), so {@code inbox/x} is {@code INBOX/x}; null stays null.
     */
    static String normalize(String name) {
        if (name == null) return null;
        int sep = name.indexOf(SEPARATOR);
        String first = sep < 0 ? name : name.substring(0, sep);
        if (first.equalsIgnoreCase("INBOX") && !first.equals("INBOX")) return "INBOX" + (sep < 0 ? "" : name.substring(sep));
        return name;
    }

    /** Why a (normalized) name cannot be created, or null when it can. */
    static String invalidName(String name) {
        if (name == null || name.isEmpty()) return "empty mailbox name";
        if (name.length() > MAX_NAME_LENGTH) return "mailbox name longer than " + MAX_NAME_LENGTH + " characters";
        if (name.charAt(0) == SEPARATOR || name.charAt(name.length() - 1) == SEPARATOR) {
            return "mailbox name starts or ends with the hierarchy separator";
        }
        if (name.contains("" + SEPARATOR + SEPARATOR)) return "mailbox name has an empty level";
        int depth = 1;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == SEPARATOR) depth++;
            // RFC 9051 §5.1: '%' and '*' are LIST wildcards; controls (C0, DEL, C1) never belong in a name
            if (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f)) return "mailbox name contains a control character";
            if (ch == '*' || ch == '%') return "mailbox name contains a wildcard character ('*' or '%')";
            if (Character.isSurrogate(ch)) {
                boolean paired = Character.isHighSurrogate(ch) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1));
                if (!paired) return "mailbox name is not valid Unicode";
                i++;
            }
        }
        if (depth > MAX_NAME_DEPTH) return "mailbox name deeper than " + MAX_NAME_DEPTH + " levels";
        return null;
    }

    /** The canonical spelling of a special-use attribute (RFC 6154 §2), or null when unknown. */
    static String canonicalSpecialUse(String attr) {
        for (String s : SPECIAL_USES) if (s.equalsIgnoreCase(attr)) return s;
        return null;
    }

    // ================================================================== flags

    /** The comparison key of a flag: system flags and keywords are both case-insensitive (RFC 9051 §2.3.2). */
    static String flagKey(String flag) {
        return flag.toLowerCase(Locale.ROOT);
    }

    /**
     * Validates and canonicalizes flags: system flags in their canonical case, {@code \Recent}
     * dropped, duplicates (case-insensitive) removed, order kept.
     *
     * @throws IllegalArgumentException for a flag that is not an IMAP atom (the caller parses flags)
     */
    static List<String> canonicalFlags(Collection<String> flags) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (String f : flags) {
            if (f == null || f.isEmpty() || f.equals("\\")) throw new IllegalArgumentException("empty flag");
            if (f.length() > 255) throw new IllegalArgumentException("flag longer than 255 characters");
            for (int i = 0; i < f.length(); i++) {
                char ch = f.charAt(i);
                // RFC 9051 §9 flag-keyword = atom: no SP, CTL, atom-specials or non-ASCII; '\' only as a system flag's first char
                if (ch <= 0x20 || ch >= 0x7f || "(){%*\"]".indexOf(ch) >= 0 || (ch == '\\' && i > 0)) {
                    throw new IllegalArgumentException("invalid flag: " + f);
                }
            }
            String canonical = f;
            if (f.charAt(0) == '\\') {
                if (f.equalsIgnoreCase("\\Recent")) continue; // session state, never stored
                for (String s : SYSTEM_FLAGS) if (s.equalsIgnoreCase(f)) canonical = s;
            }
            out.putIfAbsent(flagKey(canonical), canonical);
        }
        return List.copyOf(out.values());
    }

    static String flagColumn(Collection<String> flags) {
        return String.join(" ", flags);
    }

    /** The flags after a STORE; case-insensitive set semantics, the existing spelling kept where equal. */
    static List<String> apply(Set<String> current, FlagMode mode, List<String> given) {
        LinkedHashMap<String, String> now = new LinkedHashMap<>();
        if (mode != FlagMode.REPLACE) for (String f : current) now.putIfAbsent(flagKey(f), f);
        switch (mode) {
            case ADD, REPLACE -> {
                for (String f : given) now.putIfAbsent(flagKey(f), f);
            }
            case REMOVE -> {
                for (String f : given) now.remove(flagKey(f));
            }
        }
        return List.copyOf(now.values());
    }

    static boolean sameFlags(Collection<String> a, Collection<String> b) {
        Set<String> ka = new HashSet<>(), kb = new HashSet<>();
        for (String f : a) ka.add(flagKey(f));
        for (String f : b) kb.add(flagKey(f));
        return ka.equals(kb);
    }

    // ================================================================== writing: helpers

    @FunctionalInterface
    private interface TxWork<T> {
        T run(Connection c, List<Touch> touched) throws SQLException;
    }

    /** One writer unit; the listeners run after its commit for the mailboxes it touched. */
    private <T> T write(TxWork<T> work) {
        List<Touch> touched = new ArrayList<>();
        T result = writer.write(c -> {
            touched.clear();
            return work.run(c, touched);
        });
        events.fire(touched);
        return result;
    }

    /** The facts of a mailbox a write needs. */
    private record Box(long id, long accountId, String name, long uidValidity, long highestModSeq) {}

    private static Optional<Box> box(Connection c, long mailboxId) throws SQLException {
        return Sql.one(c, "SELECT id, account_id, name, uid_validity, highest_modseq FROM mailboxes WHERE id = ?",
                rs -> new Box(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5)), mailboxId);
    }

    private static Optional<Box> box(Connection c, long accountId, String name) throws SQLException {
        return Sql.one(c, "SELECT id, account_id, name, uid_validity, highest_modseq FROM mailboxes WHERE account_id = ? AND name = ?",
                rs -> new Box(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5)), accountId, name);
    }

    /** RFC 7162 §3.1: one change, one new MODSEQ for the mailbox. */
    private static long bumpModSeq(Connection c, long mailboxId) throws SQLException {
        return Sql.one(c, "UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq",
                rs -> rs.getLong(1), mailboxId).orElseThrow(() -> new SQLException("mailbox " + mailboxId + " vanished"));
    }

    private record Alloc(long firstUid, long modSeq) {}

    /** RFC 9051 §2.3.1.1: {@code n} new UIDs, strictly ascending; with one new MODSEQ for them all. */
    private static Alloc allocate(Connection c, long mailboxId, int n) throws SQLException {
        return Sql.one(c, "UPDATE mailboxes SET uid_next = uid_next + ?, highest_modseq = highest_modseq + 1 WHERE id = ? "
                        + "RETURNING uid_next, highest_modseq", rs -> new Alloc(rs.getLong(1) - n, rs.getLong(2)), n, mailboxId)
                .orElseThrow(() -> new SQLException("mailbox " + mailboxId + " vanished"));
    }

    static boolean overQuota(Connection c, long accountId, long adding) throws SQLException {
        // the rule of Directory.Account.wouldExceedQuota: 0 is unlimited
        return Sql.one(c, "SELECT quota_bytes, used_bytes FROM accounts WHERE id = ?",
                rs -> rs.getLong(1) > 0 && rs.getLong(2) + adding > rs.getLong(1), accountId).orElse(false);
    }

    static void addUsed(Connection c, long accountId, long delta) throws SQLException {
        if (delta == 0) return;
        // never below zero, whatever drift an old bug left
        Sql.update(c, "UPDATE accounts SET used_bytes = CASE WHEN used_bytes + ? < 0 THEN 0 ELSE used_bytes + ? END WHERE id = ?",
                delta, delta, accountId);
    }

    private static boolean accountExists(Connection c, long accountId) throws SQLException {
        return Sql.one(c, "SELECT 1 FROM accounts WHERE id = ?", rs -> true, accountId).isPresent();
    }

    /**
     * Inserts a mailbox row with a fresh UIDVALIDITY: the clock in seconds, but above the last value
     * handed out in this store and above every value of the account's mailboxes, so that a name
     * deleted and created again (even in the same second) never gets a UIDVALIDITY it had before
     * (RFC 9051 §2.3.1.1).
     */
    static long insertMailbox(Connection c, Clock clock, long accountId, String name, String specialUse) throws SQLException {
        long last = Sql.one(c, "SELECT value FROM counters WHERE name = 'uid_validity'", rs -> rs.getLong(1))
                .orElseThrow(() -> new SQLException("counters row uid_validity missing"));
        long accountMax = Sql.one(c, "SELECT COALESCE(MAX(uid_validity), 0) FROM mailboxes WHERE account_id = ?",
                rs -> rs.getLong(1), accountId).orElse(0L);
        long uidValidity = Math.max(clock.instant().getEpochSecond(), Math.max(last, accountMax) + 1);
        // RFC 9051 §9: nz-number is 32-bit unsigned; epoch seconds fit until 2106
        if (uidValidity > 0xFFFF_FFFFL) throw new IllegalStateException("UIDVALIDITY space exhausted");
        Sql.update(c, "UPDATE counters SET value = ? WHERE name = 'uid_validity'", uidValidity);
        return Sql.insertId(c, "INSERT INTO mailboxes (account_id, name, special_use, uid_validity, subscribed, created_at) "
                + "VALUES (?, ?, ?, ?, 0, ?)", accountId, name, specialUse, uidValidity, clock.millis());
    }

    /** Creates the missing superiors of {@code name} (RFC 9051 §6.3.4), then {@code name}. */
    private long createWithSuperiors(Connection c, long accountId, String name, String specialUse) throws SQLException {
        int from = 0, sep;
        while ((sep = name.indexOf(SEPARATOR, from)) >= 0) {
            String superior = name.substring(0, sep);
            if (box(c, accountId, superior).isEmpty()) insertMailbox(c, clock, accountId, superior, null);
            from = sep + 1;
        }
        return insertMailbox(c, clock, accountId, name, specialUse);
    }

    /** One message row as the copy and expunge work needs it. */
    private record Row(long id, long uid, long size) {}

    private static final String ROW_COLS = "x.id, x.uid, x.size";

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }

    /** Rows of the mailbox with these UIDs (absent ones skipped), by ascending UID. */
    private static <T> List<T> byUids(Connection c, long mailboxId, Collection<Long> uids, String cols, Sql.RowMapper<T> m)
            throws SQLException {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(uids));
        List<T> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += IN_CHUNK) {
            List<Long> chunk = sorted.subList(i, Math.min(sorted.size(), i + IN_CHUNK));
            Object[] args = new Object[chunk.size() + 1];
            args[0] = mailboxId;
            for (int k = 0; k < chunk.size(); k++) args[k + 1] = chunk.get(k);
            out.addAll(Sql.query(c, "SELECT " + cols + " FROM messages x WHERE x.mailbox_id = ? AND x.uid IN ("
                    + Sql.placeholders(chunk.size()) + ") ORDER BY x.uid", m, args));
        }
        return out;
    }

    /**
     * Copies rows (ascending UID) into {@code dst} with new UIDs and one new MODSEQ: flags, internal
     * date, cache, EMAILID and THREADID kept (RFC 8474 §5.1, §5.2); SAVEDATE now (RFC 8514).
     *
     * @return the new UIDs, in the order of {@code rows}
     */
    private static List<Long> copyRows(Connection c, long dstMailboxId, List<Row> rows, long now) throws SQLException {
        if (rows.isEmpty()) return List.of();
        Alloc a = allocate(c, dstMailboxId, rows.size());
        List<Long> uids = new ArrayList<>(rows.size());
        List<Object[]> args = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            long uid = a.firstUid() + i;
            uids.add(uid);
            args.add(new Object[] {dstMailboxId, uid, a.modSeq(), now, rows.get(i).id()});
        }
        Sql.batch(c, "INSERT INTO messages (mailbox_id, uid, modseq, blob_id, size, internal_date, flags, queue_message_id, "
                + "structure, header_subject, header_from, header_message_id, header_references, save_date, email_id, thread_id) "
                + "SELECT ?, ?, ?, blob_id, size, internal_date, flags, queue_message_id, structure, header_subject, header_from, "
                + "header_message_id, header_references, ?, email_id, thread_id FROM messages WHERE id = ?", args);
        return uids;
    }

    /** Removes rows from {@code mailboxId}, remembering their UIDs with one new MODSEQ (RFC 7162 §3.2.5). */
    private static long expungeRows(Connection c, long mailboxId, List<Row> rows) throws SQLException {
        long modseq = bumpModSeq(c, mailboxId);
        List<Object[]> del = new ArrayList<>(rows.size()), gone = new ArrayList<>(rows.size());
        for (Row r : rows) {
            del.add(new Object[] {r.id()});
            gone.add(new Object[] {mailboxId, r.uid(), modseq});
        }
        Sql.batch(c, "DELETE FROM messages WHERE id = ?", del);
        Sql.batch(c, "INSERT INTO expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)", gone);
        return modseq;
    }

    private static long totalSize(List<Row> rows) {
        long t = 0;
        for (Row r : rows) t += r.size();
        return t;
    }

    // ================================================================== new messages (append and delivery)

    /**
     * Inserts one new message with its cache, EMAILID and THREADID. Shared by {@link #append} and
     * {@code JdbcSpool.storeCopy} (delivery); the caller has allocated the UID and MODSEQ.
     *
     * @param queueMessageId the spool row it came from, 0 for none
     * @return the new {@code messages.id}
     */
    static long insertMessage(Connection c, long accountId, long mailboxId, long uid, long modseq, String blobId, long size,
                              long internalDate, long saveDate, String flags, long queueMessageId, MessageSummary summary)
            throws SQLException {
        String subject = summary == null ? null : JdbcSpool.text(summary.subject());
        String from = summary == null ? null : JdbcSpool.text(summary.from());
        String mid = summary == null ? null : JdbcSpool.text(summary.messageId());
        String refs = summary == null ? null : references(summary.references());
        Optional<String> thread = findThread(c, accountId, summary);
        long id = Sql.insertId(c, "INSERT INTO messages (mailbox_id, uid, modseq, blob_id, size, internal_date, flags, "
                        + "queue_message_id, header_subject, header_from, header_message_id, header_references, save_date) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?)",
                mailboxId, uid, modseq, blobId, size, internalDate, flags, queueMessageId, subject, from, mid, refs, saveDate);
        // RFC 8474 §5.1 objectid: 1*255 of ALPHA / DIGIT / "_" / "-"; row ids are never reused, so neither are these
        String emailId = "M" + Long.toHexString(id);
        String threadId = thread.orElse("T" + Long.toHexString(id));
        if (summary != null && summary.structure() != null) {
            // bound only when present: a typed NULL would be VARCHAR, which PostgreSQL refuses for BYTEA
            Sql.update(c, "UPDATE messages SET email_id = ?, thread_id = ?, structure = ? WHERE id = ?",
                    emailId, threadId, summary.structure(), id);
        } else {
            Sql.update(c, "UPDATE messages SET email_id = ?, thread_id = ? WHERE id = ?", emailId, threadId, id);
        }
        return id;
    }

    /** The message ids ({@code <...>}) in a References / In-Reply-To text, in order. */
    static List<String> messageIds(String text) {
        if (text == null) return List.of();
        List<String> out = new ArrayList<>();
        Matcher m = MSG_ID.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** The cached references: the last message ids that fit {@link MessageSummary#MAX_TEXT} (the nearest ancestors). */
    static String references(String text) {
        List<String> ids = messageIds(text == null ? null : text.replace("\0", ""));
        if (ids.isEmpty()) return null;
        Deque<String> kept = new ArrayDeque<>();
        int len = 0;
        for (int i = ids.size() - 1; i >= 0; i--) {
            int add = ids.get(i).length() + (kept.isEmpty() ? 0 : 1);
            if (len + add > MessageSummary.MAX_TEXT) break;
            kept.addFirst(ids.get(i));
            len += add;
        }
        return kept.isEmpty() ? null : String.join(" ", kept);
    }

    /**
     * RFC 8474 §5.2 THREADID: the thread of a message already in one of the account's mailboxes
     * whose Message-ID this message names in In-Reply-To / References (or has itself: another copy).
     */
    static Optional<String> findThread(Connection c, long accountId, MessageSummary s) throws SQLException {
        if (s == null) return Optional.empty();
        List<String> refs = messageIds(s.references());
        LinkedHashSet<String> ids = new LinkedHashSet<>(refs.subList(Math.max(0, refs.size() - MAX_THREAD_REFERENCES), refs.size()));
        String own = JdbcSpool.text(s.messageId());
        if (own != null && !own.isBlank()) ids.add(own.strip());
        if (ids.isEmpty()) return Optional.empty();
        Object[] args = new Object[ids.size() + 1];
        args[0] = accountId;
        int k = 1;
        for (String id : ids) args[k++] = id;
        return Sql.one(c, "SELECT x.thread_id FROM messages x JOIN mailboxes m ON m.id = x.mailbox_id WHERE m.account_id = ? "
                + "AND x.header_message_id IN (" + Sql.placeholders(ids.size()) + ") AND x.thread_id IS NOT NULL "
                + "ORDER BY x.id LIMIT 1", rs -> rs.getString(1), args);
    }

    // ================================================================== mailbox operations

    @Override
    public MailboxResult create(long accountId, String name, String specialUse) {
        String n = normalize(name);
        String bad = invalidName(n);
        if (bad != null) return new MailboxResult.Refused(bad);
        if (n.equals("INBOX")) return new MailboxResult.AlreadyExists(); // RFC 9051 §6.3.4
        String use = null;
        if (specialUse != null) {
            use = canonicalSpecialUse(specialUse);
            // RFC 6154 §3: an attribute the server does not know is refused (the IMAP layer says USEATTR)
            if (use == null) return new MailboxResult.Refused("unknown special-use attribute: " + specialUse);
        }
        String su = use;
        return write((c, touched) -> {
            if (!accountExists(c, accountId)) return new MailboxResult.NotFound();
            if (box(c, accountId, n).isPresent()) return new MailboxResult.AlreadyExists();
            createWithSuperiors(c, accountId, n, su);
            touched.add(new Touch(accountId, 0));
            return new MailboxResult.Done(mailboxByName(c, accountId, n).orElseThrow());
        });
    }

    @Override
    public MailboxResult delete(long accountId, String name) {
        String n = normalize(name);
        if (n == null) return new MailboxResult.NotFound();
        if (n.equals("INBOX")) return new MailboxResult.Refused("INBOX cannot be deleted"); // RFC 9051 §6.3.5
        return write((c, touched) -> {
            Optional<MailboxInfo> info = mailboxByName(c, accountId, n);
            if (info.isEmpty()) return new MailboxResult.NotFound();
            MailboxInfo mb = info.get();
            // messages, expunged UIDs, ACL and metadata go with it (ON DELETE CASCADE); blobs stay for the collector.
            // Subscriptions stay: RFC 9051 §6.3.7 the server must not remove a subscribed name on its own.
            Sql.update(c, "DELETE FROM mailboxes WHERE id = ?", mb.id());
            addUsed(c, accountId, -mb.size());
            touched.add(new Touch(accountId, mb.id()));
            touched.add(new Touch(accountId, 0));
            return new MailboxResult.Done(mb);
        });
    }

    @Override
    public MailboxResult rename(long accountId, String from, String to) {
        String f = normalize(from), t = normalize(to);
        if (f == null) return new MailboxResult.NotFound();
        String bad = invalidName(t);
        if (bad != null) return new MailboxResult.Refused(bad);
        long now = clock.millis();
        return write((c, touched) -> {
            Optional<Box> src = box(c, accountId, f);
            if (src.isEmpty()) return new MailboxResult.NotFound();
            if (t.equals(f) || box(c, accountId, t).isPresent()) return new MailboxResult.AlreadyExists();
            if (f.equals("INBOX")) {
                // RFC 9051 §6.3.6: renaming INBOX moves its messages to the new name; INBOX stays, empty,
                // and its inferiors are unaffected
                long dst = createWithSuperiors(c, accountId, t, null);
                List<Row> rows = Sql.query(c, "SELECT " + ROW_COLS + " FROM messages x WHERE x.mailbox_id = ? ORDER BY x.uid",
                        JdbcMailboxes::row, src.get().id());
                if (!rows.isEmpty()) {
                    copyRows(c, dst, rows, now);
                    expungeRows(c, src.get().id(), rows);
                }
                touched.add(new Touch(accountId, src.get().id()));
                touched.add(new Touch(accountId, dst));
                touched.add(new Touch(accountId, 0));
                return new MailboxResult.Done(mailboxById(c, dst).orElseThrow());
            }
            if (t.startsWith(f + SEPARATOR)) return new MailboxResult.Refused("a mailbox cannot be renamed to its own inferior");
            String prefix = f + SEPARATOR;
            Map<Long, String> renames = new LinkedHashMap<>();
            renames.put(src.get().id(), t);
            for (MailboxInfo m : mailboxesOf(c, accountId)) {
                if (!m.name().startsWith(prefix)) continue;
                String target = t + m.name().substring(f.length());
                if (invalidName(target) != null) return new MailboxResult.Refused("an inferior's new name is too long or too deep");
                if (box(c, accountId, target).isPresent()) return new MailboxResult.AlreadyExists();
                renames.put(m.id(), target);
            }
            // missing superiors of the new name (none of them is a source: t is not under f)
            int at = 0, sep;
            while ((sep = t.indexOf(SEPARATOR, at)) >= 0) {
                String superior = t.substring(0, sep);
                if (box(c, accountId, superior).isEmpty()) insertMailbox(c, clock, accountId, superior, null);
                at = sep + 1;
            }
            Map<Long, String> oldNames = new LinkedHashMap<>();
            for (MailboxInfo m : mailboxesOf(c, accountId)) oldNames.put(m.id(), m.name());
            for (Map.Entry<Long, String> e : renames.entrySet()) {
                String old = oldNames.get(e.getKey());
                // UIDVALIDITY and UIDs are kept (RFC 9051 §6.3.6), so are ACL and metadata (keyed by id)
                Sql.update(c, "UPDATE mailboxes SET name = ? WHERE id = ?", e.getValue(), e.getKey());
                // subscriptions follow the rename (as Dovecot and Cyrus do)
                if (Sql.update(c, "DELETE FROM subscriptions WHERE account_id = ? AND name = ?", accountId, old) > 0) {
                    Sql.update(c, "INSERT INTO subscriptions (account_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            accountId, e.getValue());
                }
                touched.add(new Touch(accountId, e.getKey()));
            }
            touched.add(new Touch(accountId, 0));
            return new MailboxResult.Done(mailboxByName(c, accountId, t).orElseThrow());
        });
    }

    @Override
    public void subscribe(long accountId, String name, boolean subscribed) {
        String n = normalize(name);
        if (n == null || n.isEmpty()) return;
        // RFC 9051 §6.3.7: any name may be subscribed, existing or not; only what could never be a name is refused
        if (n.length() > MAX_NAME_LENGTH || n.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new IllegalArgumentException("invalid mailbox name for a subscription");
        }
        write((c, touched) -> {
            int changed = subscribed
                    ? (accountExists(c, accountId)
                        ? Sql.update(c, "INSERT INTO subscriptions (account_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING", accountId, n)
                        : 0)
                    : Sql.update(c, "DELETE FROM subscriptions WHERE account_id = ? AND name = ?", accountId, n);
            if (changed > 0) touched.add(new Touch(accountId, 0));
            return null;
        });
    }

    @Override
    public List<String> subscriptions(long accountId) {
        List<String> names = new ArrayList<>(db.read(c -> Sql.query(c, "SELECT name FROM subscriptions WHERE account_id = ?",
                rs -> rs.getString(1), accountId)));
        Collections.sort(names);
        return names;
    }

    // ================================================================== message operations

    @Override
    public AppendResult append(long mailboxId, List<NewMessage> messages) {
        List<String> flagColumns = new ArrayList<>(messages.size());
        long total = 0;
        for (NewMessage m : messages) {
            // the blob must be durable before the row that points to it
            if (!blobs.exists(m.blob().id())) throw new IllegalArgumentException("blob " + m.blob().id() + " is not stored");
            flagColumns.add(flagColumn(canonicalFlags(m.flags())));
            total += m.blob().size();
        }
        long size = total;
        return write((c, touched) -> {
            Optional<Box> box = box(c, mailboxId);
            if (box.isEmpty()) return new AppendResult.NoMailbox();
            Box b = box.get();
            if (messages.isEmpty()) return new AppendResult.Appended(b.uidValidity(), List.of());
            // RFC 3502 §3 (MULTIAPPEND is atomic) and RFC 9208 §4.3: all or nothing against the quota
            if (overQuota(c, b.accountId(), size)) return new AppendResult.OverQuota();
            Alloc a = allocate(c, b.id(), messages.size());
            long now = clock.millis();
            List<Long> uids = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                NewMessage m = messages.get(i);
                long uid = a.firstUid() + i;
                // RFC 9051 §6.3.12: the internal date given with APPEND, else now
                long internal = m.internalDate() == null ? now : m.internalDate().toEpochMilli();
                insertMessage(c, b.accountId(), b.id(), uid, a.modSeq(), m.blob().id(), m.blob().size(), internal, now,
                        flagColumns.get(i), 0, m.summary());
                uids.add(uid);
            }
            addUsed(c, b.accountId(), size);
            touched.add(new Touch(b.accountId(), b.id()));
            return new AppendResult.Appended(b.uidValidity(), uids);
        });
    }

    @Override
    public FlagResult store(long mailboxId, Collection<Long> uids, FlagMode mode, Set<String> flags, long unchangedSince) {
        List<String> given = canonicalFlags(flags);
        List<Long> wanted = List.copyOf(uids);
        return write((c, touched) -> {
            Optional<Box> box = box(c, mailboxId);
            if (box.isEmpty()) return new FlagResult(List.of(), List.of(), 0);
            List<MessageInfo> current = byUids(c, mailboxId, wanted, MESSAGE_COLS, JdbcMailboxes::message);
            List<Long> modified = new ArrayList<>();
            List<MessageInfo> changing = new ArrayList<>();
            List<List<String>> newFlags = new ArrayList<>();
            for (MessageInfo m : current) {
                // RFC 7162 §3.1.3: a message changed after UNCHANGEDSINCE is left alone and reported
                if (unchangedSince >= 0 && m.modSeq() > unchangedSince) {
                    modified.add(m.uid());
                    continue;
                }
                List<String> after = apply(m.flags(), mode, given);
                if (sameFlags(m.flags(), after)) continue; // no change, no new MODSEQ
                changing.add(m);
                newFlags.add(after);
            }
            if (changing.isEmpty()) return new FlagResult(List.of(), modified, box.get().highestModSeq());
            long modseq = bumpModSeq(c, mailboxId);
            List<Object[]> args = new ArrayList<>(changing.size());
            List<MessageInfo> updated = new ArrayList<>(changing.size());
            for (int i = 0; i < changing.size(); i++) {
                MessageInfo m = changing.get(i);
                String column = flagColumn(newFlags.get(i));
                args.add(new Object[] {column, modseq, m.id()});
                updated.add(new MessageInfo(m.id(), m.uid(), modseq, flags(column), m.internalDate(), m.size(), m.blobId(),
                        m.saveDate(), m.emailId(), m.threadId()));
            }
            Sql.batch(c, "UPDATE messages SET flags = ?, modseq = ? WHERE id = ?", args);
            touched.add(new Touch(box.get().accountId(), mailboxId));
            return new FlagResult(updated, modified, modseq);
        });
    }

    @Override
    public ExpungeResult expunge(long mailboxId, Collection<Long> uids) {
        Set<Long> only = uids == null ? null : new HashSet<>(uids);
        return write((c, touched) -> {
            Optional<Box> box = box(c, mailboxId);
            if (box.isEmpty()) return new ExpungeResult(List.of(), 0);
            List<Row> rows = new ArrayList<>();
            for (Row r : Sql.query(c, "SELECT " + ROW_COLS + " FROM messages x WHERE x.mailbox_id = ? "
                    + "AND (' ' || x.flags || ' ') LIKE '% \\Deleted %' ESCAPE '!' ORDER BY x.uid", JdbcMailboxes::row, mailboxId)) {
                // RFC 4315 §2.1 UID EXPUNGE: only the given UIDs among the \Deleted ones
                if (only == null || only.contains(r.uid())) rows.add(r);
            }
            if (rows.isEmpty()) return new ExpungeResult(List.of(), box.get().highestModSeq());
            long modseq = expungeRows(c, mailboxId, rows);
            addUsed(c, box.get().accountId(), -totalSize(rows));
            touched.add(new Touch(box.get().accountId(), mailboxId));
            return new ExpungeResult(rows.stream().map(Row::uid).toList(), modseq);
        });
    }

    @Override
    public CopyResult copy(long fromMailboxId, Collection<Long> uids, long toMailboxId, boolean move) {
        List<Long> wanted = List.copyOf(uids);
        return write((c, touched) -> {
            Optional<Box> src = box(c, fromMailboxId), dst = box(c, toMailboxId);
            if (src.isEmpty() || dst.isEmpty()) return new CopyResult.NoMailbox();
            List<Row> rows = byUids(c, fromMailboxId, wanted, ROW_COLS, JdbcMailboxes::row);
            if (rows.isEmpty()) return new CopyResult.Copied(dst.get().uidValidity(), List.of(), List.of());
            long size = totalSize(rows);
            long srcAccount = src.get().accountId(), dstAccount = dst.get().accountId();
            // a move within one account changes nothing in its usage; anything else adds to the target's
            boolean grows = !(move && srcAccount == dstAccount);
            if (grows && overQuota(c, dstAccount, size)) return new CopyResult.OverQuota(); // RFC 9208 §4.3
            List<Long> targetUids = copyRows(c, toMailboxId, rows, clock.millis());
            if (grows) addUsed(c, dstAccount, size);
            if (move) {
                // RFC 6851 §3.3: copy and expunge in one transaction; the source remembers the UIDs for VANISHED
                expungeRows(c, fromMailboxId, rows);
                if (srcAccount != dstAccount) addUsed(c, srcAccount, -size);
                touched.add(new Touch(srcAccount, fromMailboxId));
            }
            touched.add(new Touch(dstAccount, toMailboxId));
            return new CopyResult.Copied(dst.get().uidValidity(), rows.stream().map(Row::uid).toList(), targetUids);
        });
    }

    // ================================================================== ACL (RFC 4314) and METADATA (RFC 5464)

    @Override
    public void setRights(long mailboxId, String identifier, String rights) {
        if (identifier == null || identifier.isEmpty()) throw new IllegalArgumentException("empty identifier");
        writer.write(c -> {
            if (rights == null || rights.isEmpty()) {
                Sql.update(c, "DELETE FROM mailbox_acl WHERE mailbox_id = ? AND identifier = ?", mailboxId, identifier);
            } else if (box(c, mailboxId).isPresent()) {
                Sql.update(c, "INSERT INTO mailbox_acl (mailbox_id, identifier, rights) VALUES (?, ?, ?) "
                        + "ON CONFLICT (mailbox_id, identifier) DO UPDATE SET rights = excluded.rights", mailboxId, identifier, rights);
            }
            return null;
        });
    }

    @Override
    public Map<String, String> acl(long mailboxId) {
        Map<String, String> out = new TreeMap<>();
        db.read(c -> Sql.query(c, "SELECT identifier, rights FROM mailbox_acl WHERE mailbox_id = ?",
                rs -> out.put(rs.getString(1), rs.getString(2)), mailboxId));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public List<SharedMailbox> sharedWith(String identifier) {
        if (identifier == null || identifier.isEmpty()) return List.of();
        return db.read(c -> {
            record Entry(long mailboxId, String identifier, String rights, String owner) {}
            List<Entry> entries = Sql.query(c, "SELECT a.mailbox_id, a.identifier, a.rights, o.address FROM mailbox_acl a "
                            + "JOIN mailboxes m ON m.id = a.mailbox_id JOIN accounts o ON o.id = m.account_id "
                            + "WHERE a.identifier IN (?, 'anyone', ?) AND o.address <> ?",
                    rs -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                    identifier, "-" + identifier, identifier);
            // RFC 4314 §2: rights are the union of the identifier's and "anyone"'s, less the negative ones ("-id")
            Map<Long, TreeSet<Character>> plus = new LinkedHashMap<>();
            Map<Long, Set<Character>> minus = new LinkedHashMap<>();
            Map<Long, String> owners = new LinkedHashMap<>();
            for (Entry e : entries) {
                owners.put(e.mailboxId(), e.owner());
                Set<Character> target = e.identifier().startsWith("-")
                        ? minus.computeIfAbsent(e.mailboxId(), k -> new HashSet<>())
                        : plus.computeIfAbsent(e.mailboxId(), k -> new TreeSet<>());
                for (char ch : e.rights().toCharArray()) target.add(ch);
            }
            List<SharedMailbox> out = new ArrayList<>();
            for (Map.Entry<Long, TreeSet<Character>> e : plus.entrySet()) {
                TreeSet<Character> rights = e.getValue();
                rights.removeAll(minus.getOrDefault(e.getKey(), Set.of()));
                if (rights.isEmpty()) continue;
                StringBuilder sb = new StringBuilder();
                rights.forEach(sb::append);
                Optional<MailboxInfo> info = mailboxById(c, e.getKey());
                info.ifPresent(i -> out.add(new SharedMailbox(i, owners.get(e.getKey()), sb.toString())));
            }
            out.sort(Comparator.comparing(SharedMailbox::owner).thenComparing(s -> s.mailbox().name()));
            return out;
        });
    }

    /** RFC 5464 §3.2: entry names are case-insensitive; stored in lower case. */
    private static String entryKey(String entry) {
        return entry.toLowerCase(Locale.ROOT);
    }

    @Override
    public Map<String, String> metadata(long accountId, Long mailboxId, String prefix) {
        String p = prefix == null ? "" : entryKey(prefix);
        List<String[]> rows = db.read(c -> mailboxId == null
                ? Sql.query(c, "SELECT name, value FROM metadata WHERE account_id = ? AND mailbox_id IS NULL",
                        rs -> new String[] {rs.getString(1), rs.getString(2)}, accountId)
                : Sql.query(c, "SELECT name, value FROM metadata WHERE account_id = ? AND mailbox_id = ?",
                        rs -> new String[] {rs.getString(1), rs.getString(2)}, accountId, mailboxId));
        Map<String, String> out = new TreeMap<>();
        for (String[] r : rows) if (r[0].startsWith(p)) out.put(r[0], r[1]);
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void setMetadata(long accountId, Long mailboxId, String entry, String value) {
        if (entry == null || entry.isEmpty()) throw new IllegalArgumentException("empty metadata entry name");
        String name = entryKey(entry);
        String v = value == null ? null : value.replace("\0", ""); // PostgreSQL TEXT refuses NUL
        writer.write(c -> {
            if (mailboxId == null) {
                Sql.update(c, "DELETE FROM metadata WHERE account_id = ? AND mailbox_id IS NULL AND name = ?", accountId, name);
            } else {
                Sql.update(c, "DELETE FROM metadata WHERE account_id = ? AND mailbox_id = ? AND name = ?", accountId, mailboxId, name);
            }
            if (v == null || !accountExists(c, accountId)) return null;
            if (mailboxId == null) {
                Sql.update(c, "INSERT INTO metadata (account_id, name, value) VALUES (?, ?, ?)", accountId, name, v);
            } else if (box(c, mailboxId).filter(b -> b.accountId() == accountId).isPresent()) {
                Sql.update(c, "INSERT INTO metadata (account_id, mailbox_id, name, value) VALUES (?, ?, ?, ?)",
                        accountId, mailboxId, name, v);
            }
            return null;
        });
    }

    // ================================================================== change notification

    @Override
    public AutoCloseable onChange(MailboxListener listener) {
        return events.add(listener);
    }
}
