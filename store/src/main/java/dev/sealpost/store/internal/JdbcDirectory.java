package dev.sealpost.store.internal;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.core.sasl.CredentialLookup;
import dev.sealpost.core.sasl.StoredCredentials;
import dev.sealpost.store.Directory;
import dev.sealpost.store.DirectoryException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** {@link Directory} over the {@code domains}, {@code accounts}, {@code aliases} and {@code mailboxes} tables. */
final class JdbcDirectory implements Directory {
    /** Alias expansion depth limit (Postfix uses 1000 for virtual_alias_recursion_limit; 10 is plenty for a personal server). */
    static final int MAX_DEPTH = 10;
    /** RFC 5233 subaddress separator. */
    static final char SUBADDRESS_SEPARATOR = '+';

    /** The mailboxes of a new account: name and RFC 6154 §2 special-use attribute. */
    static final List<String[]> DEFAULT_MAILBOXES = List.of(
            new String[] {"INBOX", null},
            new String[] {"Sent", "\\Sent"},
            new String[] {"Drafts", "\\Drafts"},
            new String[] {"Junk", "\\Junk"},
            new String[] {"Trash", "\\Trash"},
            new String[] {"Archive", "\\Archive"});

    private static final String ACCOUNT_COLS = "id, address, quota_bytes, used_bytes";

    private final Database db;
    private final GroupCommitWriter writer;
    private final Clock clock;
    private final Function<char[], StoredCredentials> hasher;
    /** Passwords verified recently (an entry holds for its stored hash only: a change anywhere invalidates it). */
    private final dev.sealpost.core.auth.VerifiedPasswords verified = new dev.sealpost.core.auth.VerifiedPasswords();

    JdbcDirectory(Database db, GroupCommitWriter writer, Clock clock, Function<char[], StoredCredentials> hasher) {
        this.db = db;
        this.writer = writer;
        this.clock = clock;
        this.hasher = hasher;
    }

    // ---- domains ----

    private static String asciiDomain(String domain) {
        if (domain == null) throw new DirectoryException("domain missing");
        return Domain.toAscii(domain.strip()).orElseThrow(() -> new DirectoryException("invalid domain name: " + domain));
    }

    @Override
    public void addDomain(String domain) {
        String d = asciiDomain(domain);
        writer.write(c -> {
            if (domainId(c, d).isPresent()) throw new DirectoryException("domain already exists: " + d);
            Sql.update(c, "INSERT INTO domains (name, created_at) VALUES (?, ?)", d, clock.millis());
            return null;
        });
    }

    @Override
    public boolean removeDomain(String domain) {
        String d = asciiDomain(domain);
        return writer.write(c -> {
            Optional<Long> id = domainId(c, d);
            if (id.isEmpty()) return false;
            long n = Sql.one(c, "SELECT COUNT(*) FROM accounts WHERE domain_id = ?", rs -> rs.getLong(1), id.get()).orElse(0L);
            if (n > 0) throw new DirectoryException("domain " + d + " still has " + n + " account(s): remove them first");
            Sql.update(c, "DELETE FROM aliases WHERE domain_id = ?", id.get());
            Sql.update(c, "DELETE FROM domains WHERE id = ?", id.get());
            return true;
        });
    }

    private static Optional<Long> domainId(Connection c, String asciiDomain) throws SQLException {
        return Sql.one(c, "SELECT id FROM domains WHERE name = ?", rs -> rs.getLong(1), asciiDomain);
    }

    @Override
    public List<String> domains() {
        return db.read(c -> Sql.query(c, "SELECT name FROM domains ORDER BY name", rs -> rs.getString(1)));
    }

    @Override
    public boolean isLocalDomain(String asciiDomain) {
        if (asciiDomain == null) return false;
        String d = asciiDomain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        String key = d;
        return db.read(c -> domainId(c, key).isPresent());
    }

    // ---- accounts ----

    private static EmailAddress parseAddress(String address, String what) {
        if (address == null) throw new DirectoryException(what + " missing");
        return EmailAddress.parse(address.strip()).orElseThrow(() -> new DirectoryException("invalid " + what + ": " + address));
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("address"), rs.getLong("quota_bytes"), rs.getLong("used_bytes"));
    }

    @Override
    public Account addAccount(String address, char[] password) {
        EmailAddress a = parseAddress(address, "account address");
        if (password == null || password.length == 0) throw new DirectoryException("empty password for " + a.canonical());
        String canonical = a.canonical();
        StoredCredentials cred = hasher.apply(password); // slow: outside the writer
        return writer.write(c -> {
            long domainId = domainId(c, a.domain())
                    .orElseThrow(() -> new DirectoryException("domain " + a.domain() + " is not a local domain: add it first"));
            if (accountRow(c, canonical).isPresent()) throw new DirectoryException("account already exists: " + canonical);
            long now = clock.millis();
            long id = Sql.insertId(c, "INSERT INTO accounts (domain_id, address, password_hash, scram_salt, scram_iterations, "
                            + "scram_stored_key, scram_server_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    domainId, canonical, cred.passwordHash(), cred.scramSalt(), cred.scramIterations(),
                    cred.scramStoredKey(), cred.scramServerKey(), now);
            for (String[] mb : DEFAULT_MAILBOXES) createMailbox(c, id, mb[0], mb[1]);
            return new Account(id, canonical, 0, 0);
        });
    }

    /** Creates a mailbox with a fresh UIDVALIDITY ({@link JdbcMailboxes#insertMailbox}), subscribed. */
    long createMailbox(Connection c, long accountId, String name, String specialUse) throws SQLException {
        long id = JdbcMailboxes.insertMailbox(c, clock, accountId, name, specialUse);
        Sql.update(c, "INSERT INTO subscriptions (account_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING", accountId, name);
        return id;
    }

    private static Optional<Account> accountRow(Connection c, String canonical) throws SQLException {
        return Sql.one(c, "SELECT " + ACCOUNT_COLS + " FROM accounts WHERE address = ?", JdbcDirectory::account, canonical);
    }

    @Override
    public void setPassword(String address, char[] password) {
        String canonical = parseAddress(address, "account address").canonical();
        if (password == null || password.length == 0) throw new DirectoryException("empty password for " + canonical);
        StoredCredentials cred = hasher.apply(password);
        writer.write(c -> {
            int n = Sql.update(c, "UPDATE accounts SET password_hash = ?, scram_salt = ?, scram_iterations = ?, "
                            + "scram_stored_key = ?, scram_server_key = ? WHERE address = ?",
                    cred.passwordHash(), cred.scramSalt(), cred.scramIterations(), cred.scramStoredKey(),
                    cred.scramServerKey(), canonical);
            if (n == 0) throw new DirectoryException("no such account: " + canonical);
            return null;
        });
    }

    @Override
    public boolean removeAccount(String address) {
        String canonical = parseAddress(address, "account address").canonical();
        // mailboxes, messages and delivery records go with it (ON DELETE CASCADE); blobs stay for the collector
        return writer.write(c -> Sql.update(c, "DELETE FROM accounts WHERE address = ?", canonical) > 0);
    }

    @Override
    public List<Account> accounts() {
        return db.read(c -> Sql.query(c, "SELECT " + ACCOUNT_COLS + " FROM accounts ORDER BY address", JdbcDirectory::account));
    }

    @Override
    public Optional<Account> account(String address) {
        Optional<EmailAddress> a = address == null ? Optional.empty() : EmailAddress.parse(address.strip());
        if (a.isEmpty()) return Optional.empty();
        String canonical = a.get().canonical();
        return db.read(c -> accountRow(c, canonical));
    }

    @Override
    public void setQuota(String address, long bytes) {
        if (bytes < 0) throw new DirectoryException("quota must be 0 (unlimited) or positive, got " + bytes);
        String canonical = parseAddress(address, "account address").canonical();
        writer.write(c -> {
            if (Sql.update(c, "UPDATE accounts SET quota_bytes = ? WHERE address = ?", bytes, canonical) == 0) {
                throw new DirectoryException("no such account: " + canonical);
            }
            return null;
        });
    }

    // ---- aliases ----

    /** Canonical alias source: {@code local@domain} (local part lower case) or {@code @domain}. */
    private static String[] aliasSource(String source) {
        if (source == null) throw new DirectoryException("alias source missing");
        String s = source.strip();
        if (s.startsWith("@")) {
            String d = asciiDomain(s.substring(1));
            return new String[] {"@" + d, d};
        }
        EmailAddress a = parseAddress(s, "alias source");
        return new String[] {a.canonical(), a.domain()};
    }

    @Override
    public void addAlias(String source, String target) {
        String[] src = aliasSource(source);
        EmailAddress t = parseAddress(target, "alias target");
        String tgt = t.toString();
        if (t.canonical().equals(src[0])) throw new DirectoryException("alias " + src[0] + " cannot point to itself");
        writer.write(c -> {
            long domainId = domainId(c, src[1])
                    .orElseThrow(() -> new DirectoryException("alias source " + src[0] + " is not in a local domain"));
            for (String existing : aliasTargets(c, src[0])) {
                if (EmailAddress.parse(existing).map(EmailAddress::canonical).orElse(existing).equals(t.canonical())) {
                    throw new DirectoryException("alias already exists: " + src[0] + " -> " + existing);
                }
            }
            Sql.update(c, "INSERT INTO aliases (source, target, domain_id, created_at) VALUES (?, ?, ?, ?)",
                    src[0], tgt, domainId, clock.millis());
            return null;
        });
    }

    @Override
    public boolean removeAlias(String source, String target) {
        String[] src = aliasSource(source);
        String canonicalTarget = parseAddress(target, "alias target").canonical();
        return writer.write(c -> {
            int n = 0;
            for (String existing : aliasTargets(c, src[0])) {
                if (EmailAddress.parse(existing).map(EmailAddress::canonical).orElse(existing).equals(canonicalTarget)) {
                    n += Sql.update(c, "DELETE FROM aliases WHERE source = ? AND target = ?", src[0], existing);
                }
            }
            return n > 0;
        });
    }

    @Override
    public List<Alias> aliases() {
        return db.read(c -> Sql.query(c, "SELECT source, target FROM aliases ORDER BY source, target",
                rs -> new Alias(rs.getString(1), rs.getString(2))));
    }

    private static List<String> aliasTargets(Connection c, String canonicalSource) throws SQLException {
        return Sql.query(c, "SELECT target FROM aliases WHERE source = ? ORDER BY target", rs -> rs.getString(1), canonicalSource);
    }

    // ---- resolution ----

    @Override
    public Resolution resolve(EmailAddress rcpt) {
        return db.read(c -> {
            if (domainId(c, rcpt.domain()).isEmpty()) return new Resolution(List.of(), List.of());
            Expansion ex = new Expansion(c, true);
            ex.address(rcpt, 0);
            return new Resolution(List.copyOf(ex.accounts.values()), List.copyOf(ex.remote.values()));
        });
    }

    @Override
    public boolean maySendAs(String accountAddress, EmailAddress from) {
        Optional<EmailAddress> acct = accountAddress == null ? Optional.empty() : EmailAddress.parse(accountAddress.strip());
        if (acct.isEmpty() || from == null) return false;
        String me = acct.get().canonical();
        String fromCanonical = from.canonical();
        String fromBase = withoutSubaddress(from).map(EmailAddress::canonical).orElse(null);
        return db.read(c -> {
            Optional<Account> account = accountRow(c, me);
            if (account.isEmpty()) return false;
            if (me.equals(fromCanonical) || me.equals(fromBase)) return true;
            for (String source : fromBase == null ? List.of(fromCanonical) : List.of(fromCanonical, fromBase)) {
                // only exact aliases grant the right; catch-alls never do (anyone@domain would follow)
                Expansion ex = new Expansion(c, false);
                ex.visited.add(source);
                ex.exact(source, 0);
                if (ex.accounts.containsKey(account.get().id())) return true;
            }
            return false;
        });
    }

    /** RFC 5233: {@code user+detail@domain} → {@code user@domain}; empty when there is no detail. */
    static Optional<EmailAddress> withoutSubaddress(EmailAddress a) {
        int plus = a.localPart().indexOf(SUBADDRESS_SEPARATOR);
        if (plus <= 0) return Optional.empty();
        return Optional.of(new EmailAddress(a.localPart().substring(0, plus), a.domain()));
    }

    /** One recursive alias expansion inside one read snapshot. */
    private final class Expansion {
        final Connection c;
        final boolean catchAll;
        final Map<Long, Account> accounts = new LinkedHashMap<>();
        final Map<String, String> remote = new LinkedHashMap<>();
        final Set<String> visited = new HashSet<>();
        final Map<String, Boolean> localDomains = new LinkedHashMap<>();

        Expansion(Connection c, boolean catchAll) {
            this.c = c;
            this.catchAll = catchAll;
        }

        boolean local(String domain) throws SQLException {
            Boolean b = localDomains.get(domain);
            if (b == null) {
                b = domainId(c, domain).isPresent();
                localDomains.put(domain, b);
            }
            return b;
        }

        void address(EmailAddress a, int depth) throws SQLException {
            if (depth > MAX_DEPTH) return; // too deep: ignored (a loop or a misconfiguration)
            String canonical = a.canonical();
            if (!visited.add(canonical)) return; // loop or duplicate
            if (!local(a.domain())) {
                remote.putIfAbsent(canonical, a.toString());
                return;
            }
            boolean known = exact(canonical, depth);
            if (!known) {
                Optional<EmailAddress> base = withoutSubaddress(a);
                if (base.isPresent() && visited.add(base.get().canonical())) known = exact(base.get().canonical(), depth);
            }
            if (!known && catchAll) {
                String source = "@" + a.domain();
                if (visited.add(source)) targets(source, depth);
            }
        }

        /** The exact account and the exact aliases of {@code canonical}; true when either exists. */
        boolean exact(String canonical, int depth) throws SQLException {
            boolean known = false;
            Optional<Account> acct = accountRow(c, canonical);
            if (acct.isPresent()) {
                accounts.putIfAbsent(acct.get().id(), acct.get());
                known = true;
            }
            if (targets(canonical, depth)) known = true;
            return known;
        }

        private boolean targets(String source, int depth) throws SQLException {
            List<String> targets = new ArrayList<>(aliasTargets(c, source));
            // a group (migration V16) expands like an alias with its members: the visited set removes
            // duplicates across overlapping groups and aliases and stops loops (docs/lists.md)
            targets.addAll(JdbcMailingLists.groupMembers(c, source));
            for (String t : targets) {
                Optional<EmailAddress> ta = EmailAddress.parse(t);
                if (ta.isPresent()) address(ta.get(), depth + 1);
            }
            return !targets.isEmpty();
        }
    }

    // ---- DKIM keys ----

    /** RFC 6376 §3.1: selector = sub-domain *( "." sub-domain ), sub-domain as in RFC 5321 §4.1.2. */
    private static final Pattern SELECTOR = Pattern.compile(
            "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final String DKIM_COLS = "k.id, d.name, k.selector, k.algorithm, k.private_key, k.public_record, k.state, k.created_at";
    /** Longest public record we store: RSA-4096 needs about 740 octets. */
    static final int MAX_PUBLIC_RECORD = 4096;

    /** A checked, lower-case selector. */
    static String selector(String selector) {
        if (selector == null || selector.isBlank()) throw new DirectoryException("DKIM selector missing");
        String s = selector.strip().toLowerCase(Locale.ROOT);
        // RFC 1035 §2.3.4: the whole name <selector>._domainkey.<domain> has at most 253 characters; keep selectors well under
        if (s.length() > 63 * 2 || !SELECTOR.matcher(s).matches()) {
            throw new DirectoryException("invalid DKIM selector '" + selector + "': expected DNS labels of letters, digits and '-' (RFC 6376 §3.1)");
        }
        return s;
    }

    private static DkimKey dkimKey(ResultSet rs) throws SQLException {
        return new DkimKey(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)));
    }

    @Override
    public DkimKey addDkimKey(String domain, String selector, String algorithm, byte[] pkcs8, String publicRecord) {
        String d = asciiDomain(domain);
        String sel = selector(selector);
        if (algorithm == null || !DKIM_ALGORITHMS.contains(algorithm)) {
            throw new DirectoryException("unknown DKIM algorithm " + algorithm + ": expected one of " + DKIM_ALGORITHMS);
        }
        if (pkcs8 == null || pkcs8.length == 0) throw new DirectoryException("DKIM private key missing");
        if (publicRecord == null || publicRecord.isBlank() || publicRecord.length() > MAX_PUBLIC_RECORD
                || !publicRecord.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
            throw new DirectoryException("DKIM public record must be 1-" + MAX_PUBLIC_RECORD + " printable ASCII characters");
        }
        if (d.length() + sel.length() + "._domainkey.".length() > 253) {
            throw new DirectoryException("DKIM key name " + sel + "._domainkey." + d + " is longer than 253 characters");
        }
        byte[] key = pkcs8.clone();
        String rec = publicRecord.strip();
        return writer.write(c -> {
            long domainId = domainId(c, d)
                    .orElseThrow(() -> new DirectoryException("domain " + d + " is not a local domain: add it first"));
            if (Sql.one(c, "SELECT id FROM dkim_keys WHERE domain_id = ? AND selector = ?", rs -> rs.getLong(1), domainId, sel).isPresent()) {
                throw new DirectoryException("DKIM key " + sel + " already exists for " + d);
            }
            long now = clock.millis();
            long id = Sql.insertId(c, "INSERT INTO dkim_keys (domain_id, selector, algorithm, private_key, public_record, state, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", domainId, sel, algorithm, key, rec, DKIM_ACTIVE, now);
            return new DkimKey(id, d, sel, algorithm, key, rec, DKIM_ACTIVE, Instant.ofEpochMilli(now));
        });
    }

    /** The A-label of a domain, or null when it is not a domain name (queries then find nothing). */
    private static String asciiOrNull(String domain) {
        if (domain == null) return null;
        String s = domain.strip();
        if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        return Domain.toAscii(s).orElse(null);
    }

    @Override
    public List<DkimKey> dkimKeys(String domain) {
        String d = asciiOrNull(domain);
        if (d == null) return List.of();
        return db.read(c -> Sql.query(c, "SELECT " + DKIM_COLS + " FROM dkim_keys k JOIN domains d ON d.id = k.domain_id "
                + "WHERE d.name = ? ORDER BY k.created_at, k.id", JdbcDirectory::dkimKey, d));
    }

    @Override
    public List<DkimKey> signingKeys(String domain) {
        String d = asciiOrNull(domain);
        if (d == null) return List.of();
        return db.read(c -> Sql.query(c, "SELECT " + DKIM_COLS + " FROM dkim_keys k JOIN domains d ON d.id = k.domain_id "
                + "WHERE d.name = ? AND k.state = ? ORDER BY k.created_at, k.id", JdbcDirectory::dkimKey, d, DKIM_ACTIVE));
    }

    @Override
    public boolean setDkimKeyState(String domain, String selector, String state) {
        if (state == null || !DKIM_STATES.contains(state)) {
            throw new DirectoryException("unknown DKIM key state " + state + ": expected one of " + DKIM_STATES);
        }
        String d = asciiOrNull(domain);
        if (d == null) return false;
        String sel = selector(selector);
        return writer.write(c -> {
            Optional<Long> domainId = domainId(c, d);
            if (domainId.isEmpty()) return false;
            // retired_at: when the key stopped signing; kept through retiring -> retired, cleared on reactivation
            String retiredAt = state.equals(DKIM_ACTIVE) ? "NULL" : "COALESCE(retired_at, ?)";
            Object[] args = state.equals(DKIM_ACTIVE)
                    ? new Object[] {state, domainId.get(), sel}
                    : new Object[] {state, clock.millis(), domainId.get(), sel};
            return Sql.update(c, "UPDATE dkim_keys SET state = ?, retired_at = " + retiredAt
                    + " WHERE domain_id = ? AND selector = ?", args) > 0;
        });
    }

    @Override
    public boolean removeDkimKey(String domain, String selector) {
        String d = asciiOrNull(domain);
        if (d == null) return false;
        String sel = selector(selector);
        return writer.write(c -> {
            Optional<Long> domainId = domainId(c, d);
            return domainId.isPresent()
                    && Sql.update(c, "DELETE FROM dkim_keys WHERE domain_id = ? AND selector = ?", domainId.get(), sel) > 0;
        });
    }

    // ---- credentials ----

    @Override
    public CredentialLookup credentials() {
        return username -> {
            Optional<EmailAddress> a = username == null ? Optional.empty() : EmailAddress.parse(username.strip());
            if (a.isEmpty()) return Optional.empty();
            String canonical = a.get().canonical();
            return db.read(c -> Sql.one(c, "SELECT address, password_hash, scram_salt, scram_iterations, scram_stored_key, "
                            + "scram_server_key FROM accounts WHERE address = ?",
                    rs -> new CredentialLookup.Account(rs.getString(1), new StoredCredentials(rs.getString(2),
                            rs.getBytes(3), rs.getInt(4), rs.getBytes(5), rs.getBytes(6))),
                    canonical));
        };
    }

    @Override
    public Optional<Account> authenticate(String address, char[] password) {
        Optional<EmailAddress> a = address == null ? Optional.empty() : EmailAddress.parse(address.strip());
        record Row(Account account, String hash) {}
        Optional<Row> row = a.isEmpty() ? Optional.empty() : db.read(c -> Sql.one(c,
                "SELECT " + ACCOUNT_COLS + ", password_hash FROM accounts WHERE address = ?",
                rs -> new Row(account(rs), rs.getString("password_hash")), a.get().canonical()));
        if (row.isPresent() && verified.matches(a.get().canonical(), row.get().hash(), password)) {
            return Optional.of(row.get().account()); // verified against this very hash within the hour
        }
        // same work for unknown accounts: no user enumeration by timing
        String hash = row.map(Row::hash).orElse(PasswordHasher.decoyHash());
        boolean ok = PasswordHasher.verify(hash, password);
        if (ok && row.isPresent()) verified.remember(a.get().canonical(), hash, password);
        return ok && row.isPresent() ? Optional.of(row.get().account()) : Optional.empty();
    }
}
