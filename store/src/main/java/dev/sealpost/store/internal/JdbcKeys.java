package dev.sealpost.store.internal;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.DirectoryException;
import dev.sealpost.store.Keys;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link Keys} over {@code own_keys}, {@code peer_keys} and {@code smime_cas} (migration V13).
 * Private parts are sealed by {@link KeyEncryptionKey}; the key id bound into each sealed value
 * is {@code own:<type>:<fingerprint>} or {@code ca:<domain>}.
 */
final class JdbcKeys implements Keys {
    private static final String OWN_COLS = "k.id, a.address, k.type, k.fingerprint, k.public_key, k.created_at, k.revoked_at";
    private static final String OWN_FROM = " FROM own_keys k JOIN accounts a ON a.id = k.account_id ";
    private static final String PEER_COLS = "id, address, type, fingerprint, public_key, origin, valid_from, valid_until, added_at, last_seen, revoked_at";

    private final Database db;
    private final GroupCommitWriter writer;
    private final Clock clock;
    private final KeyEncryptionKey kek;

    JdbcKeys(Database db, GroupCommitWriter writer, Clock clock, KeyEncryptionKey kek) {
        this.db = db;
        this.writer = writer;
        this.clock = clock;
        this.kek = kek;
    }

    private static String canonical(String address) {
        return EmailAddress.parse(address == null ? null : address.strip())
                .orElseThrow(() -> new DirectoryException("not a mail address: " + address)).canonical();
    }

    private static String fpr(String fingerprint) {
        if (fingerprint == null || !fingerprint.matches("[0-9A-Fa-f]{16,128}")) throw new DirectoryException("fingerprint must be hex: " + fingerprint);
        return fingerprint.toUpperCase(Locale.ROOT);
    }

    static String ownKeyId(Type type, String fingerprint) {
        return "own:" + type.label() + ":" + fingerprint;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static OwnKey own(ResultSet rs) throws SQLException {
        return new OwnKey(rs.getLong(1), rs.getString(2), Type.of(rs.getString(3)), rs.getString(4), rs.getBytes(5),
                Instant.ofEpochMilli(rs.getLong(6)), instant(rs, 7));
    }

    private static PeerKey peer(ResultSet rs) throws SQLException {
        return new PeerKey(rs.getLong(1), rs.getString(2), Type.of(rs.getString(3)), rs.getString(4), rs.getBytes(5),
                Origin.of(rs.getString(6)), instant(rs, 7), instant(rs, 8), Instant.ofEpochMilli(rs.getLong(9)),
                Instant.ofEpochMilli(rs.getLong(10)), instant(rs, 11));
    }

    @Override
    public OwnKey addOwn(String address, Type type, String fingerprint, byte[] publicKey, byte[] privateKey) {
        String a = canonical(address);
        String f = fpr(fingerprint);
        if (publicKey == null || publicKey.length == 0 || privateKey == null || privateKey.length == 0) {
            throw new DirectoryException("a key needs its public and private parts");
        }
        byte[] sealed = kek.seal(ownKeyId(type, f), privateKey);
        byte[] pub = publicKey.clone();
        long now = clock.millis();
        return writer.write(c -> {
            long accountId = Sql.one(c, "SELECT id FROM accounts WHERE address = ?", rs -> rs.getLong(1), a)
                    .orElseThrow(() -> new DirectoryException("no account " + a));
            if (Sql.one(c, "SELECT id FROM own_keys WHERE type = ? AND fingerprint = ?", rs -> true, type.label(), f).isPresent()) {
                throw new DirectoryException(type.label() + " key " + f + " is already stored");
            }
            long id = Sql.insertId(c, "INSERT INTO own_keys (account_id, type, fingerprint, public_key, private_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    accountId, type.label(), f, pub, sealed, now);
            return new OwnKey(id, a, type, f, pub, Instant.ofEpochMilli(now), null);
        });
    }

    @Override
    public List<OwnKey> own(String address) {
        String a = canonical(address);
        return db.read(c -> Sql.query(c, "SELECT " + OWN_COLS + OWN_FROM + "WHERE a.address = ? ORDER BY k.created_at DESC, k.id DESC", JdbcKeys::own, a));
    }

    @Override
    public Optional<OwnKey> currentOwn(String address, Type type) {
        String a = canonical(address);
        return db.read(c -> Sql.one(c, "SELECT " + OWN_COLS + OWN_FROM
                + "WHERE a.address = ? AND k.type = ? AND k.revoked_at IS NULL ORDER BY k.created_at DESC, k.id DESC LIMIT 1", JdbcKeys::own, a, type.label()));
    }

    @Override
    public List<OwnKey> currentOwnInDomain(String domain, Type type) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        List<OwnKey> all = db.read(c -> Sql.query(c, "SELECT " + OWN_COLS + OWN_FROM + "JOIN domains d ON d.id = a.domain_id "
                + "WHERE d.name = ? AND k.type = ? AND k.revoked_at IS NULL ORDER BY a.address, k.created_at DESC, k.id DESC", JdbcKeys::own, d, type.label()));
        List<OwnKey> current = new ArrayList<>();
        for (OwnKey k : all) {
            if (current.isEmpty() || !current.getLast().address().equals(k.address())) current.add(k);
        }
        return current;
    }

    @Override
    public Optional<OwnKey> ownByFingerprint(Type type, String fingerprint) {
        String f = fpr(fingerprint);
        return db.read(c -> Sql.one(c, "SELECT " + OWN_COLS + OWN_FROM + "WHERE k.type = ? AND k.fingerprint = ?", JdbcKeys::own, type.label(), f));
    }

    @Override
    public byte[] privateKey(OwnKey key) {
        byte[] sealed = db.read(c -> Sql.one(c, "SELECT private_key FROM own_keys WHERE id = ?", rs -> rs.getBytes(1), key.id()))
                .orElseThrow(() -> new DirectoryException("no own key " + key.id()));
        return kek.open(ownKeyId(key.type(), key.fingerprint()), sealed);
    }

    @Override
    public boolean revokeOwn(long id) {
        long now = clock.millis();
        return writer.write(c -> Sql.update(c, "UPDATE own_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id) == 1);
    }

    @Override
    public PeerKey putPeer(String address, Type type, String fingerprint, byte[] publicKey, Origin origin, Instant validFrom, Instant validUntil) {
        String a = canonical(address);
        String f = fpr(fingerprint);
        if (publicKey == null || publicKey.length == 0) throw new DirectoryException("a key needs its public part");
        byte[] pub = publicKey.clone();
        long now = clock.millis();
        return writer.write(c -> {
            // CAST: a null is bound as VARCHAR, which PostgreSQL does not put into a BIGINT column
            int n = Sql.update(c, "UPDATE peer_keys SET public_key = ?, origin = ?, valid_from = CAST(? AS BIGINT), valid_until = CAST(? AS BIGINT), last_seen = ? "
                    + "WHERE address = ? AND type = ? AND fingerprint = ?", pub, origin.label(), millis(validFrom), millis(validUntil), now, a, type.label(), f);
            if (n == 0) {
                Sql.update(c, "INSERT INTO peer_keys (address, type, fingerprint, public_key, origin, valid_from, valid_until, added_at, last_seen) "
                        + "VALUES (?, ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?)", a, type.label(), f, pub, origin.label(), millis(validFrom), millis(validUntil), now, now);
            }
            return Sql.one(c, "SELECT " + PEER_COLS + " FROM peer_keys WHERE address = ? AND type = ? AND fingerprint = ?", JdbcKeys::peer, a, type.label(), f)
                    .orElseThrow();
        });
    }

    @Override
    public List<PeerKey> peers(String address) {
        if (address == null) {
            return db.read(c -> Sql.query(c, "SELECT " + PEER_COLS + " FROM peer_keys ORDER BY address, last_seen DESC, id DESC", JdbcKeys::peer));
        }
        String a = canonical(address);
        return db.read(c -> Sql.query(c, "SELECT " + PEER_COLS + " FROM peer_keys WHERE address = ? ORDER BY last_seen DESC, id DESC", JdbcKeys::peer, a));
    }

    @Override
    public boolean revokePeer(long id) {
        long now = clock.millis();
        return writer.write(c -> Sql.update(c, "UPDATE peer_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id) == 1);
    }

    private static String domain(String domain) {
        if (domain == null || domain.isBlank()) throw new DirectoryException("domain missing");
        return domain.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public DomainCa putCa(String domain, byte[] certificate, byte[] privateKey) {
        String d = domain(domain);
        byte[] sealed = kek.seal("ca:" + d, privateKey);
        byte[] cert = certificate.clone();
        long now = clock.millis();
        return writer.write(c -> {
            long domainId = Sql.one(c, "SELECT id FROM domains WHERE name = ?", rs -> rs.getLong(1), d)
                    .orElseThrow(() -> new DirectoryException("domain " + d + " is not a local domain: add it first"));
            if (Sql.one(c, "SELECT id FROM smime_cas WHERE domain_id = ?", rs -> true, domainId).isPresent()) {
                throw new DirectoryException("domain " + d + " already has an internal CA");
            }
            Sql.update(c, "INSERT INTO smime_cas (domain_id, certificate, private_key, created_at) VALUES (?, ?, ?, ?)", domainId, cert, sealed, now);
            return new DomainCa(d, cert, Instant.ofEpochMilli(now));
        });
    }

    @Override
    public Optional<DomainCa> ca(String domain) {
        String d = domain(domain);
        return db.read(c -> Sql.one(c, "SELECT s.certificate, s.created_at FROM smime_cas s JOIN domains d ON d.id = s.domain_id WHERE d.name = ?",
                rs -> new DomainCa(d, rs.getBytes(1), Instant.ofEpochMilli(rs.getLong(2))), d));
    }

    @Override
    public byte[] caPrivateKey(DomainCa ca) {
        byte[] sealed = db.read(c -> Sql.one(c, "SELECT s.private_key FROM smime_cas s JOIN domains d ON d.id = s.domain_id WHERE d.name = ?",
                rs -> rs.getBytes(1), ca.domain())).orElseThrow(() -> new DirectoryException("no internal CA for " + ca.domain()));
        return kek.open("ca:" + ca.domain(), sealed);
    }

    @Override
    public int rotateKek() {
        String old = kek.rotate();
        int n = writer.write(c -> reseal(c));
        kek.forget(old);
        return n;
    }

    /** Re-seals every private key under the current KEK (those already under it are left alone). */
    private int reseal(Connection c) throws SQLException {
        String current = kek.currentId();
        int n = 0;
        record Row(long id, String keyId, byte[] sealed) {}
        List<Row> own = Sql.query(c, "SELECT id, type, fingerprint, private_key FROM own_keys",
                rs -> new Row(rs.getLong(1), ownKeyId(Type.of(rs.getString(2)), rs.getString(3)), rs.getBytes(4)));
        for (Row r : own) {
            if (KeyEncryptionKey.idOf(r.sealed()).equals(current)) continue;
            Sql.update(c, "UPDATE own_keys SET private_key = ? WHERE id = ?", kek.seal(r.keyId(), kek.open(r.keyId(), r.sealed())), r.id());
            n++;
        }
        List<Row> cas = Sql.query(c, "SELECT s.id, d.name, s.private_key FROM smime_cas s JOIN domains d ON d.id = s.domain_id",
                rs -> new Row(rs.getLong(1), "ca:" + rs.getString(2), rs.getBytes(3)));
        for (Row r : cas) {
            if (KeyEncryptionKey.idOf(r.sealed()).equals(current)) continue;
            Sql.update(c, "UPDATE smime_cas SET private_key = ? WHERE id = ?", kek.seal(r.keyId(), kek.open(r.keyId(), r.sealed())), r.id());
            n++;
        }
        return n;
    }

    @Override
    public String kekId() {
        return kek.currentId();
    }
    // ------------------------------------------------------------------ policy (V15)

    private static String scope(String scope) {
        String s = scope == null ? "" : scope.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("@")) s = s.substring(1);
        if (s.isEmpty() || s.length() > 320) throw new DirectoryException("policy scope must be an address or a domain: " + scope);
        if (s.indexOf('@') >= 0) return canonical(s);
        if (!s.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) throw new DirectoryException("not a domain: " + scope);
        return s;
    }

    private static String value(String field, String v, List<String> allowed) {
        if (v == null) return null;
        String x = v.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(x)) throw new DirectoryException(field + " must be one of " + String.join(", ", allowed) + ": " + v);
        return x;
    }

    private static Policy policyRow(ResultSet rs) throws SQLException {
        return new Policy(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)));
    }

    @Override
    public Optional<Policy> policy(String scope) {
        String s = scope(scope);
        return db.read(c -> Sql.one(c, "SELECT scope, sign, encrypt, inbound, updated_at FROM secure_policies WHERE scope = ?", JdbcKeys::policyRow, s));
    }

    @Override
    public Policy putPolicy(String scope, String sign, String encrypt, String inbound) {
        String s = scope(scope);
        String sg = value("sign", sign, SIGN_VALUES);
        String en = value("encrypt", encrypt, ENCRYPT_VALUES);
        String in = value("inbound", inbound, INBOUND_VALUES);
        long now = clock.millis();
        return writer.write(c -> {
            Optional<Policy> old = Sql.one(c, "SELECT scope, sign, encrypt, inbound, updated_at FROM secure_policies WHERE scope = ?", JdbcKeys::policyRow, s);
            String nsg = sg != null ? sg : old.map(Policy::sign).orElse(null);
            String nen = en != null ? en : old.map(Policy::encrypt).orElse(null);
            String nin = in != null ? in : old.map(Policy::inbound).orElse(null);
            // CAST: a null is bound as VARCHAR, which both dialects take for TEXT
            if (old.isPresent()) {
                Sql.update(c, "UPDATE secure_policies SET sign = CAST(? AS TEXT), encrypt = CAST(? AS TEXT), inbound = CAST(? AS TEXT), updated_at = ? WHERE scope = ?",
                        nsg, nen, nin, now, s);
            } else {
                Sql.update(c, "INSERT INTO secure_policies (scope, sign, encrypt, inbound, updated_at) VALUES (?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), ?)",
                        s, nsg, nen, nin, now);
            }
            return new Policy(s, nsg, nen, nin, Instant.ofEpochMilli(now));
        });
    }

    @Override
    public boolean removePolicy(String scope) {
        String s = scope(scope);
        return writer.write(c -> Sql.update(c, "DELETE FROM secure_policies WHERE scope = ?", s) == 1);
    }

    @Override
    public List<Policy> policies() {
        return db.read(c -> Sql.query(c, "SELECT scope, sign, encrypt, inbound, updated_at FROM secure_policies ORDER BY scope", JdbcKeys::policyRow));
    }
}
