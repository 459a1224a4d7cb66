package dev.sealpost.store.internal;

import dev.sealpost.store.FilterTokens;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link FilterTokens} over {@code filter_tokens} and {@code filter_scopes} (migration V9). */
final class JdbcFilterTokens implements FilterTokens {
    /** Hashes per IN list (SQLite's default limit on host parameters is 32766; PostgreSQL's 65535). */
    private static final int CHUNK = 1000;

    private final Database db;
    private final GroupCommitWriter writer;

    JdbcFilterTokens(Database db, GroupCommitWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    private static String scope(String scope) {
        if (scope == null) return GLOBAL;
        return scope.length() > MAX_SCOPE ? scope.substring(0, MAX_SCOPE) : scope;
    }

    @Override
    public Totals totals(String scope) {
        String s = scope(scope);
        return db.read(c -> Sql.one(c, "SELECT spam_messages, ham_messages FROM filter_scopes WHERE scope = ?",
                rs -> new Totals(rs.getLong(1), rs.getLong(2)), s)).orElse(Totals.EMPTY);
    }

    @Override
    public void counts(String scope, long[] hashes, int[] spam, int[] ham) {
        if (spam.length < hashes.length || ham.length < hashes.length) throw new IllegalArgumentException("output arrays too short");
        String s = scope(scope);
        Map<Long, Integer> index = new HashMap<>(hashes.length * 2);
        for (int i = 0; i < hashes.length; i++) {
            index.putIfAbsent(hashes[i], i);
            spam[i] = 0;
            ham[i] = 0;
        }
        long[] found = new long[hashes.length * 3];
        int rows = db.read(c -> {
            int n = 0;
            for (int from = 0; from < hashes.length; from += CHUNK) {
                int len = Math.min(CHUNK, hashes.length - from);
                Object[] args = new Object[len + 1];
                args[0] = s;
                for (int i = 0; i < len; i++) args[i + 1] = hashes[from + i];
                List<long[]> got = Sql.query(c, "SELECT token_hash, spam, ham FROM filter_tokens WHERE scope = ? AND token_hash IN ("
                        + Sql.placeholders(len) + ")", rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, args);
                for (long[] r : got) {
                    found[n * 3] = r[0];
                    found[n * 3 + 1] = r[1];
                    found[n * 3 + 2] = r[2];
                    n++;
                }
            }
            return n;
        });
        for (int r = 0; r < rows; r++) {
            Integer first = index.get(found[r * 3]);
            if (first == null) continue;
            for (int i = first; i < hashes.length; i++) { // duplicates in the request get the same counts
                if (hashes[i] == found[r * 3]) {
                    spam[i] = (int) found[r * 3 + 1];
                    ham[i] = (int) found[r * 3 + 2];
                }
            }
        }
    }

    @Override
    public void add(String scope, long[] hashes, boolean spam, int delta) {
        if (delta == 0) return;
        int[] deltas = new int[hashes.length];
        java.util.Arrays.fill(deltas, delta);
        int[] zeros = new int[hashes.length];
        addCounts(scope, hashes, spam ? deltas : zeros, spam ? zeros : deltas, spam ? delta : 0, spam ? 0 : delta);
    }

    @Override
    public void addCounts(String scope, long[] hashes, int[] spamDelta, int[] hamDelta, long spamMessages, long hamMessages) {
        if (spamDelta.length < hashes.length || hamDelta.length < hashes.length) throw new IllegalArgumentException("delta arrays too short");
        String s = scope(scope);
        List<Object[]> upserts = new ArrayList<>(hashes.length);
        List<Object[]> maybeEmpty = new ArrayList<>();
        for (int i = 0; i < hashes.length; i++) {
            int ds = spamDelta[i], dh = hamDelta[i];
            if (ds == 0 && dh == 0) continue;
            upserts.add(new Object[] {s, hashes[i], Math.max(ds, 0), Math.max(dh, 0), ds, ds, dh, dh});
            if (ds < 0 || dh < 0) maybeEmpty.add(new Object[] {s, hashes[i]});
        }
        writer.write(c -> {
            Sql.batch(c, "INSERT INTO filter_tokens (scope, token_hash, spam, ham) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (scope, token_hash) DO UPDATE SET "
                    + "spam = CASE WHEN filter_tokens.spam + ? < 0 THEN 0 ELSE filter_tokens.spam + ? END, "
                    + "ham = CASE WHEN filter_tokens.ham + ? < 0 THEN 0 ELSE filter_tokens.ham + ? END", upserts);
            Sql.batch(c, "DELETE FROM filter_tokens WHERE scope = ? AND token_hash = ? AND spam <= 0 AND ham <= 0", maybeEmpty);
            if (spamMessages != 0 || hamMessages != 0) {
                Sql.update(c, "INSERT INTO filter_scopes (scope, spam_messages, ham_messages) VALUES (?, ?, ?) "
                        + "ON CONFLICT (scope) DO UPDATE SET "
                        + "spam_messages = CASE WHEN filter_scopes.spam_messages + ? < 0 THEN 0 ELSE filter_scopes.spam_messages + ? END, "
                        + "ham_messages = CASE WHEN filter_scopes.ham_messages + ? < 0 THEN 0 ELSE filter_scopes.ham_messages + ? END",
                        s, Math.max(spamMessages, 0), Math.max(hamMessages, 0), spamMessages, spamMessages, hamMessages, hamMessages);
            }
            return null;
        });
    }

    @Override
    public void forEach(String scope, TokenVisitor visitor) {
        String s = scope(scope);
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT token_hash, spam, ham FROM filter_tokens WHERE scope = ?")) {
                ps.setString(1, s);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) visitor.token(rs.getLong(1), rs.getInt(2), rs.getInt(3));
                }
            }
            return null;
        });
    }

    @Override
    public int clear(String scope) {
        String s = scope(scope);
        return writer.write(c -> {
            int n = Sql.update(c, "DELETE FROM filter_tokens WHERE scope = ?", s);
            Sql.update(c, "DELETE FROM filter_scopes WHERE scope = ?", s);
            return n;
        });
    }
}
