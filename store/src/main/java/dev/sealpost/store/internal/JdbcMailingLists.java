package dev.sealpost.store.internal;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.DirectoryException;
import dev.sealpost.store.MailingLists;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link MailingLists} over {@code lists}, {@code list_members}, {@code list_pending}, {@code mail_groups} (migration V16). */
final class JdbcMailingLists implements MailingLists {
    private static final String LIST_COLS = "id, address, description, posting, settings, created_at";
    private static final String MEMBER_COLS = "address, role, enabled, own_posts, bounce_score, bounce_at, bounce_day, "
            + "bounce_day_weight, bounce_status, warnings_sent, last_notice_at";
    /** Longest description and settings text kept. */
    static final int MAX_TEXT = 4096;

    private final Database db;
    private final GroupCommitWriter writer;
    private final Clock clock;

    JdbcMailingLists(Database db, GroupCommitWriter writer, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.clock = clock;
    }

    /** The canonical form of an address; a {@link DirectoryException} when it is not one. */
    static String canonical(String address) {
        String a = address == null ? "" : address.strip();
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        return EmailAddress.parse(a).map(EmailAddress::canonical)
                .orElseThrow(() -> new DirectoryException("not an email address: " + address));
    }

    private static long localDomain(Connection c, String canonical) throws SQLException {
        String domain = canonical.substring(canonical.lastIndexOf('@') + 1);
        Optional<Long> id = Sql.one(c, "SELECT id FROM domains WHERE name = ?", rs -> rs.getLong(1), domain);
        if (id.isEmpty()) throw new DirectoryException("domain " + domain + " is not a local domain: add it first");
        return id.get();
    }

    static String settingsText(Map<String, String> settings) {
        StringBuilder b = new StringBuilder();
        for (var e : new TreeMap<>(settings).entrySet()) {
            if (!e.getKey().matches("[a-z_]{1,40}") || e.getValue().indexOf('\n') >= 0 || e.getValue().indexOf('\r') >= 0) {
                throw new DirectoryException("bad list setting " + e.getKey());
            }
            b.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        if (b.length() > MAX_TEXT) throw new DirectoryException("list settings longer than " + MAX_TEXT + " characters");
        return b.toString();
    }

    static Map<String, String> settingsMap(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    private static MailingList list(ResultSet rs) throws SQLException {
        return new MailingList(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), settingsMap(rs.getString(5)),
                Instant.ofEpochMilli(rs.getLong(6)));
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Member member(ResultSet rs) throws SQLException {
        BounceState b = new BounceState(rs.getDouble(5), instant(rs, 6), emptyToNull(rs.getString(7)), rs.getDouble(8), rs.getString(9),
                rs.getInt(10), instant(rs, 11));
        return new Member(rs.getString(1), Role.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)), rs.getInt(3) != 0,
                rs.getInt(4) != 0, b);
    }

    private static void checkPosting(String posting) {
        if (!POSTING.contains(posting)) throw new DirectoryException("unknown posting policy '" + posting + "': expected one of " + POSTING);
    }

    private static String text(String s) {
        String t = s == null ? "" : s.strip();
        if (t.length() > MAX_TEXT || t.chars().anyMatch(ch -> ch < 0x20)) throw new DirectoryException("description: at most " + MAX_TEXT + " printable characters");
        return t;
    }

    private static long listId(Connection c, String canonical) throws SQLException {
        return Sql.one(c, "SELECT id FROM lists WHERE address = ?", rs -> rs.getLong(1), canonical)
                .orElseThrow(() -> new DirectoryException("no such list: " + canonical));
    }

    @Override
    public MailingList create(String address, String description, String posting) {
        String a = canonical(address);
        String d = text(description);
        checkPosting(posting);
        long now = clock.millis();
        return writer.write(c -> {
            localDomain(c, a);
            if (Sql.one(c, "SELECT id FROM lists WHERE address = ?", rs -> rs.getLong(1), a).isPresent()) {
                throw new DirectoryException("list already exists: " + a);
            }
            if (Sql.one(c, "SELECT id FROM mail_groups WHERE address = ?", rs -> rs.getLong(1), a).isPresent()) {
                throw new DirectoryException("a group has that address: " + a);
            }
            long id = Sql.insertId(c, "INSERT INTO lists (address, description, posting, settings, created_at) VALUES (?, ?, ?, ?, ?)",
                    a, d, posting, "", now);
            return new MailingList(id, a, d, posting, Map.of(), Instant.ofEpochMilli(now));
        });
    }

    @Override
    public boolean remove(String address) {
        String a = canonical(address);
        return writer.write(c -> {
            Optional<Long> id = Sql.one(c, "SELECT id FROM lists WHERE address = ?", rs -> rs.getLong(1), a);
            if (id.isEmpty()) return false;
            Sql.update(c, "DELETE FROM list_members WHERE list_id = ?", id.get());
            Sql.update(c, "DELETE FROM list_pending WHERE list_id = ?", id.get());
            return Sql.update(c, "DELETE FROM lists WHERE id = ?", id.get()) > 0;
        });
    }

    @Override
    public Optional<MailingList> find(String address) {
        Optional<EmailAddress> p = EmailAddress.parse(address == null ? "" : address.strip());
        if (p.isEmpty()) return Optional.empty();
        return db.read(c -> Sql.one(c, "SELECT " + LIST_COLS + " FROM lists WHERE address = ?", JdbcMailingLists::list, p.get().canonical()));
    }

    @Override
    public List<MailingList> all() {
        return db.read(c -> Sql.query(c, "SELECT " + LIST_COLS + " FROM lists ORDER BY address", JdbcMailingLists::list));
    }

    @Override
    public void update(String address, String description, String posting, Map<String, String> settings) {
        String a = canonical(address);
        String d = text(description);
        checkPosting(posting);
        String s = settingsText(settings);
        writer.write(c -> {
            long id = listId(c, a);
            return Sql.update(c, "UPDATE lists SET description = ?, posting = ?, settings = ? WHERE id = ?", d, posting, s, id);
        });
    }

    @Override
    public boolean addMember(String list, Role role, String address) {
        String l = canonical(list), m = canonical(address);
        BounceState b = BounceState.NEW;
        return writer.write(c -> {
            long id = listId(c, l);
            if (Sql.one(c, "SELECT 1 FROM list_members WHERE list_id = ? AND role = ? AND address = ?", rs -> 1, id, role.word(), m).isPresent()) {
                return false;
            }
            Sql.update(c, "INSERT INTO list_members (list_id, role, address, enabled, own_posts, bounce_score, bounce_at, bounce_day, "
                            + "bounce_day_weight, bounce_status, warnings_sent, last_notice_at, added_at) VALUES (?, ?, ?, 1, 1, 0, NULL, NULL, 0, ?, 0, NULL, ?)",
                    id, role.word(), m, b.status(), clock.millis());
            return true;
        });
    }

    @Override
    public boolean removeMember(String list, Role role, String address) {
        String l = canonical(list), m = canonical(address);
        return writer.write(c -> Sql.update(c, "DELETE FROM list_members WHERE list_id = ? AND role = ? AND address = ?",
                listId(c, l), role.word(), m) > 0);
    }

    @Override
    public List<Member> members(String list, Role role) {
        String l = canonical(list);
        return db.read(c -> Sql.query(c, "SELECT " + MEMBER_COLS + " FROM list_members WHERE list_id = ? AND role = ? ORDER BY address",
                JdbcMailingLists::member, listId(c, l), role.word()));
    }

    @Override
    public List<Member> disabledMembers(String list) {
        String l = canonical(list);
        return db.read(c -> Sql.query(c, "SELECT " + MEMBER_COLS + " FROM list_members WHERE list_id = ? AND role = ? AND bounce_status = ? ORDER BY address",
                JdbcMailingLists::member, listId(c, l), Role.MEMBER.word(), "disabled"));
    }

    @Override
    public boolean setMemberState(String list, String address, boolean enabled, BounceState b) {
        String l = canonical(list), m = canonical(address);
        return writer.write(c -> Sql.update(c, "UPDATE list_members SET enabled = ?, bounce_score = ?, bounce_at = NULLIF(?, -1), bounce_day = ?, "
                        + "bounce_day_weight = ?, bounce_status = ?, warnings_sent = ?, last_notice_at = NULLIF(?, -1) WHERE list_id = ? AND role = ? AND address = ?",
                enabled ? 1 : 0, b.score(), b.scoredAt() == null ? -1L : b.scoredAt().toEpochMilli(), b.day() == null ? "" : b.day(), b.dayWeight(), b.status(),
                b.warningsSent(), b.lastNoticeAt() == null ? -1L : b.lastNoticeAt().toEpochMilli(), listId(c, l), Role.MEMBER.word(), m) > 0);
    }

    @Override
    public boolean setSelfCopy(String list, String address, boolean selfCopy) {
        String l = canonical(list), m = canonical(address);
        return writer.write(c -> Sql.update(c, "UPDATE list_members SET own_posts = ? WHERE list_id = ? AND role = ? AND address = ?",
                selfCopy ? 1 : 0, listId(c, l), Role.MEMBER.word(), m) > 0);
    }

    private static Pending pendingRow(ResultSet rs) throws SQLException {
        return new Pending(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }

    @Override
    public void putPending(Pending p) {
        writer.write(c -> Sql.update(c, "INSERT INTO list_pending (token, list_id, kind, address, content, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                p.token(), p.listId(), p.kind(), p.address(), p.content() == null ? new byte[0] : p.content(), p.createdAt().toEpochMilli(), p.expiresAt().toEpochMilli()));
    }

    @Override
    public Optional<Pending> takePending(String token) {
        return writer.write(c -> {
            Optional<Pending> p = Sql.one(c, "SELECT token, list_id, kind, address, content, created_at, expires_at FROM list_pending WHERE token = ?",
                    JdbcMailingLists::pendingRow, token);
            if (p.isPresent()) Sql.update(c, "DELETE FROM list_pending WHERE token = ?", token);
            return p;
        });
    }

    @Override
    public List<Pending> pending(String list, String kind) {
        String l = canonical(list);
        return db.read(c -> Sql.query(c, "SELECT token, list_id, kind, address, content, created_at, expires_at FROM list_pending "
                + "WHERE list_id = ? AND kind = ? ORDER BY created_at", JdbcMailingLists::pendingRow, listId(c, l), kind));
    }

    @Override
    public int purgePending(Instant now) {
        return writer.write(c -> Sql.update(c, "DELETE FROM list_pending WHERE expires_at <= ?", now.toEpochMilli()));
    }

    // ---- groups ----

    private static Optional<Long> groupId(Connection c, String canonical) throws SQLException {
        return Sql.one(c, "SELECT id FROM mail_groups WHERE address = ?", rs -> rs.getLong(1), canonical);
    }

    @Override
    public void createGroup(String address) {
        String a = canonical(address);
        writer.write(c -> {
            localDomain(c, a);
            if (groupId(c, a).isPresent()) throw new DirectoryException("group already exists: " + a);
            if (Sql.one(c, "SELECT id FROM lists WHERE address = ?", rs -> rs.getLong(1), a).isPresent()) {
                throw new DirectoryException("a list has that address: " + a);
            }
            return Sql.update(c, "INSERT INTO mail_groups (address, created_at) VALUES (?, ?)", a, clock.millis());
        });
    }

    @Override
    public boolean removeGroup(String address) {
        String a = canonical(address);
        return writer.write(c -> {
            Optional<Long> id = groupId(c, a);
            if (id.isEmpty()) return false;
            Sql.update(c, "DELETE FROM mail_group_members WHERE group_id = ?", id.get());
            return Sql.update(c, "DELETE FROM mail_groups WHERE id = ?", id.get()) > 0;
        });
    }

    @Override
    public boolean addGroupMember(String group, String member) {
        String g = canonical(group), m = canonical(member);
        return writer.write(c -> {
            long id = groupId(c, g).orElseThrow(() -> new DirectoryException("no such group: " + g));
            if (Sql.one(c, "SELECT 1 FROM mail_group_members WHERE group_id = ? AND member = ?", rs -> 1, id, m).isPresent()) return false;
            Sql.update(c, "INSERT INTO mail_group_members (group_id, member) VALUES (?, ?)", id, m);
            return true;
        });
    }

    @Override
    public boolean removeGroupMember(String group, String member) {
        String g = canonical(group), m = canonical(member);
        return writer.write(c -> {
            long id = groupId(c, g).orElseThrow(() -> new DirectoryException("no such group: " + g));
            return Sql.update(c, "DELETE FROM mail_group_members WHERE group_id = ? AND member = ?", id, m) > 0;
        });
    }

    @Override
    public List<String> groups() {
        return db.read(c -> Sql.query(c, "SELECT address FROM mail_groups ORDER BY address", rs -> rs.getString(1)));
    }

    @Override
    public List<String> groupMembers(String group) {
        String g = canonical(group);
        return db.read(c -> groupMembers(c, g));
    }

    /** Members of the group {@code canonical} (none when it is not a group): the directory's alias expansion reads this too. */
    static List<String> groupMembers(Connection c, String canonical) throws SQLException {
        return Sql.query(c, "SELECT m.member FROM mail_group_members m JOIN mail_groups g ON g.id = m.group_id WHERE g.address = ? ORDER BY m.member",
                rs -> rs.getString(1), canonical);
    }

    @Override
    public boolean isGroup(String address) {
        Optional<EmailAddress> p = EmailAddress.parse(address == null ? "" : address.strip());
        return p.isPresent() && db.read(c -> groupId(c, p.get().canonical()).isPresent());
    }
}
