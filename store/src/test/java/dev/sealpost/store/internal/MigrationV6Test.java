package dev.sealpost.store.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** V6 on a database that already holds V5 data: the new columns are backfilled and subscriptions carried over. */
class MigrationV6Test {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static EmbeddedPostgres pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path work = Path.of("target", "embedded-pg").toAbsolutePath();
        Files.createDirectories(work);
        pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.toFile())
                .setDataDirectory(work.resolve("data-migration-" + ProcessHandle.current().pid()))
                .setCleanDataDirectory(true)
                .start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @Test
    void sqlite() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            check(c, Dialect.SQLITE);
        }
    }

    @Test
    void postgresql() throws Exception {
        try (Connection admin = pg.getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE migration_v6");
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/migration_v6", "postgres", null)) {
            check(c, Dialect.POSTGRESQL);
        }
    }

    private static void check(Connection c, Dialect d) throws SQLException {
        assertThat(Migrator.migrate(c, d, CLOCK, 5)).isEqualTo(5);
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO domains (id, name, created_at) VALUES (1, 'example.org', 0)");
            String bytes = d == Dialect.POSTGRESQL ? "'\\x00'::bytea" : "x'00'";
            s.execute("INSERT INTO accounts (id, domain_id, address, password_hash, scram_salt, scram_iterations, scram_stored_key, "
                    + "scram_server_key, created_at) VALUES (7, 1, 'a@example.org', 'x', " + bytes + ", 1, " + bytes + ", " + bytes + ", 0)");
            s.execute("INSERT INTO mailboxes (id, account_id, name, uid_validity, subscribed, created_at) VALUES (10, 7, 'INBOX', 100, 1, 0)");
            s.execute("INSERT INTO mailboxes (id, account_id, name, uid_validity, subscribed, created_at) VALUES (11, 7, 'Hidden', 101, 0, 0)");
            s.execute("INSERT INTO messages (id, mailbox_id, uid, modseq, blob_id, size, internal_date, flags) "
                    + "VALUES (255, 10, 1, 1, 'b', 3, 123456, '\\Seen')");
            s.execute("INSERT INTO messages (id, mailbox_id, uid, modseq, blob_id, size, internal_date, flags) "
                    + "VALUES (4096, 11, 1, 1, 'b', 3, 654321, '')");
        }
        c.setAutoCommit(false);
        assertThat(Migrator.migrate(c, d, CLOCK)).isGreaterThanOrEqualTo(6);
        c.setAutoCommit(true);
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, save_date, email_id, thread_id, header_references FROM messages ORDER BY id")) {
            while (rs.next()) rows.add(rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5));
        }
        assertThat(rows).containsExactly("255 123456 Mff Tff null", "4096 654321 M1000 T1000 null");
        List<String> subs = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT account_id, name FROM subscriptions")) {
            while (rs.next()) subs.add(rs.getLong(1) + " " + rs.getString(2));
        }
        assertThat(subs).containsExactly("7 INBOX");
        try (Statement s = c.createStatement()) {
            // one metadata entry per (account, mailbox or none, name)
            s.execute("INSERT INTO metadata (account_id, mailbox_id, name, value) VALUES (7, NULL, '/private/comment', 'v')");
            s.execute("INSERT INTO metadata (account_id, mailbox_id, name, value) VALUES (7, 10, '/private/comment', 'v')");
            boolean refused = false;
            try {
                s.execute("INSERT INTO metadata (account_id, mailbox_id, name, value) VALUES (7, NULL, '/private/comment', 'w')");
            } catch (SQLException e) {
                refused = true;
            }
            assertThat(refused).isTrue();
        }
    }
}
