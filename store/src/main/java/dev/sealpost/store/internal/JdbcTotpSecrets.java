package dev.sealpost.store.internal;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.DirectoryException;
import dev.sealpost.store.TotpSecrets;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/** {@link TotpSecrets} over {@code account_totp} (migration V18); secrets sealed with the {@link KeyEncryptionKey}. */
final class JdbcTotpSecrets implements TotpSecrets {
    private final Database db;
    private final GroupCommitWriter writer;
    private final Clock clock;
    private final KeyEncryptionKey kek;

    JdbcTotpSecrets(Database db, GroupCommitWriter writer, Clock clock, KeyEncryptionKey kek) {
        this.db = db;
        this.writer = writer;
        this.clock = clock;
        this.kek = kek;
    }

    private static Optional<String> canonical(String address) {
        return EmailAddress.parse(address == null ? "" : address.strip()).map(EmailAddress::canonical);
    }

    /** What the sealed secret is bound to (the AEAD's associated data): it does not open for another account. */
    private static String label(String canonical) {
        return "totp:" + canonical;
    }

    private static long accountId(Connection c, String canonical) throws SQLException {
        return Sql.one(c, "SELECT id FROM accounts WHERE address = ?", rs -> rs.getLong(1), canonical)
                .orElseThrow(() -> new DirectoryException("no such account: " + canonical));
    }

    @Override
    public void set(String address, byte[] key) {
        String a = canonical(address).orElseThrow(() -> new DirectoryException("not an email address: " + address));
        byte[] sealed = kek.seal(label(a), key);
        writer.write(c -> {
            long id = accountId(c, a);
            Sql.update(c, "DELETE FROM account_totp WHERE account_id = ?", id);
            Sql.update(c, "INSERT INTO account_totp (account_id, secret, last_step, created_at) VALUES (?, ?, -1, ?)", id, sealed, clock.millis());
            return null;
        });
    }

    @Override
    public boolean remove(String address) {
        Optional<String> a = canonical(address);
        if (a.isEmpty()) return false;
        return writer.write(c -> Sql.update(c, "DELETE FROM account_totp WHERE account_id = (SELECT id FROM accounts WHERE address = ?)", a.get()) > 0);
    }

    @Override
    public Optional<Secret> get(String address) {
        Optional<String> a = canonical(address);
        if (a.isEmpty()) return Optional.empty();
        Optional<Object[]> row = db.read(c -> Sql.one(c, "SELECT t.secret, t.last_step FROM account_totp t JOIN accounts a ON a.id = t.account_id "
                + "WHERE a.address = ?", rs -> new Object[]{rs.getBytes(1), rs.getLong(2)}, a.get()));
        return row.map(r -> {
            byte[] sealed = (byte[]) r[0];
            byte[] key = kek.open(label(a.get()), sealed);
            Arrays.fill(sealed, (byte) 0);
            return new Secret(key, (Long) r[1]);
        });
    }

    @Override
    public boolean enabled(String address) {
        Optional<String> a = canonical(address);
        if (a.isEmpty()) return false;
        return db.read(c -> Sql.one(c, "SELECT 1 FROM account_totp t JOIN accounts a ON a.id = t.account_id WHERE a.address = ?",
                rs -> rs.getInt(1), a.get())).isPresent();
    }

    @Override
    public boolean advance(String address, long step) {
        Optional<String> a = canonical(address);
        if (a.isEmpty()) return false;
        return writer.write(c -> Sql.update(c, "UPDATE account_totp SET last_step = ? WHERE last_step < ? "
                + "AND account_id = (SELECT id FROM accounts WHERE address = ?)", step, step, a.get()) == 1);
    }
}
