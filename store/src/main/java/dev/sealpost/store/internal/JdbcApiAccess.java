package dev.sealpost.store.internal;

import dev.sealpost.core.mail.Domain;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.ApiAccess;
import dev.sealpost.store.DirectoryException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** {@link ApiAccess} over {@code account_roles} and {@code api_tokens} (migration V14). */
final class JdbcApiAccess implements ApiAccess {
    private static final String TOKEN_COLUMNS = "t.id, a.address, t.name, t.scope, t.created_at, t.last_used_at, t.revoked_at";

    private final Database db;
    private final GroupCommitWriter writer;
    private final Clock clock;

    JdbcApiAccess(Database db, GroupCommitWriter writer, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.clock = clock;
    }

    private static String canonical(String address) {
        return EmailAddress.parse(address == null ? "" : address.strip()).map(EmailAddress::canonical)
                .orElseThrow(() -> new DirectoryException("not an email address: " + address));
    }

    private static long accountId(Connection c, String canonical) throws SQLException {
        return Sql.one(c, "SELECT id FROM accounts WHERE address = ?", rs -> rs.getLong(1), canonical)
                .orElseThrow(() -> new DirectoryException("no such account: " + canonical));
    }

    @Override
    public Roles roles(String address) {
        Optional<String> a = EmailAddress.parse(address == null ? "" : address.strip()).map(EmailAddress::canonical);
        if (a.isEmpty()) return Roles.USER;
        List<String[]> rows = db.read(c -> Sql.query(c, "SELECT r.role, r.domain FROM account_roles r JOIN accounts a ON a.id = r.account_id "
                + "WHERE a.address = ?", rs -> new String[]{rs.getString(1), rs.getString(2)}, a.get()));
        return roles(rows);
    }

    private static Roles roles(List<String[]> rows) {
        boolean admin = false;
        Set<String> domains = new HashSet<>();
        for (String[] r : rows) {
            if (r[0].equals("admin")) admin = true;
            else domains.add(r[1]);
        }
        return new Roles(admin, domains);
    }

    @Override
    public SortedMap<String, Roles> roleHolders() {
        List<String[]> rows = db.read(c -> Sql.query(c, "SELECT a.address, r.role, r.domain FROM account_roles r JOIN accounts a ON a.id = r.account_id",
                rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)}));
        Map<String, List<String[]>> by = new TreeMap<>();
        for (String[] r : rows) by.computeIfAbsent(r[0], k -> new ArrayList<>()).add(new String[]{r[1], r[2]});
        SortedMap<String, Roles> out = new TreeMap<>();
        by.forEach((k, v) -> out.put(k, roles(v)));
        return out;
    }

    @Override
    public void grantAdmin(String address) {
        String a = canonical(address);
        writer.write(c -> {
            long id = accountId(c, a);
            Sql.update(c, "INSERT INTO account_roles (account_id, role, domain, created_at) VALUES (?, 'admin', '', ?) "
                    + "ON CONFLICT (account_id, role, domain) DO NOTHING", id, clock.millis());
            return null;
        });
    }

    @Override
    public void grantDomainAdmin(String address, String domain) {
        String a = canonical(address);
        String d = Domain.toAscii(domain == null ? "" : domain.strip()).orElseThrow(() -> new DirectoryException("invalid domain name: " + domain));
        writer.write(c -> {
            long id = accountId(c, a);
            if (Sql.one(c, "SELECT id FROM domains WHERE name = ?", rs -> rs.getLong(1), d).isEmpty()) {
                throw new DirectoryException("no such local domain: " + d);
            }
            Sql.update(c, "INSERT INTO account_roles (account_id, role, domain, created_at) VALUES (?, 'domain-admin', ?, ?) "
                    + "ON CONFLICT (account_id, role, domain) DO NOTHING", id, d, clock.millis());
            return null;
        });
    }

    @Override
    public void clearRoles(String address) {
        String a = canonical(address);
        writer.write(c -> Sql.update(c, "DELETE FROM account_roles WHERE account_id = ?", accountId(c, a)));
    }

    private static Token token(ResultSet rs) throws SQLException {
        long used = rs.getLong(6);
        Instant lastUsed = rs.wasNull() ? null : Instant.ofEpochMilli(used);
        long revoked = rs.getLong(7);
        Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
        return new Token(rs.getLong(1), rs.getString(2), rs.getString(3), Scope.of(rs.getString(4)).orElseThrow(),
                Instant.ofEpochMilli(rs.getLong(5)), lastUsed, revokedAt);
    }

    @Override
    public Token addToken(String address, String name, Scope scope, byte[] sha256) {
        if (sha256 == null || sha256.length != 32) throw new IllegalArgumentException("a token hash is 32 bytes");
        String a = canonical(address);
        String n = name == null ? "" : name.strip();
        if (n.length() > 100) throw new DirectoryException("token name longer than 100 characters");
        long now = clock.millis();
        return writer.write(c -> {
            long accountId = accountId(c, a);
            long id = Sql.insertId(c, "INSERT INTO api_tokens (account_id, name, scope, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    accountId, n, scope.token(), sha256.clone(), now);
            return new Token(id, a, n, scope, Instant.ofEpochMilli(now), null, null);
        });
    }

    @Override
    public List<Token> tokens(String address) {
        String a = canonical(address);
        return db.read(c -> Sql.query(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens t JOIN accounts a ON a.id = t.account_id "
                + "WHERE a.address = ? ORDER BY t.id", JdbcApiAccess::token, a));
    }

    @Override
    public Optional<Token> tokenByHash(byte[] sha256) {
        if (sha256 == null || sha256.length != 32) return Optional.empty();
        return db.read(c -> Sql.one(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens t JOIN accounts a ON a.id = t.account_id "
                + "WHERE t.token_hash = ?", JdbcApiAccess::token, sha256.clone()));
    }

    @Override
    public boolean revokeToken(long id, Instant at) {
        return writer.write(c -> Sql.update(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                at.toEpochMilli(), id)) == 1;
    }

    @Override
    public void tokenUsed(long id, Instant at) {
        writer.write(c -> Sql.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", at.toEpochMilli(), id));
    }
}
