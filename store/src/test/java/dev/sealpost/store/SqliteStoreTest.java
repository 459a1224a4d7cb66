package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on SQLite in a temp directory. */
class SqliteStoreTest extends StoreContract {

    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) {
        return new StoreConfig(dataDir, null, null, null, clock);
    }

    @Test
    void databaseFileAndPragmas() throws Exception {
        assertThat(Files.isRegularFile(dataDir.resolve("sealpost.db"))).isTrue();
        assertThat(Files.isDirectory(dataDir.resolve("blobs/tmp"))).isTrue();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sealpost.db"));
             var s = c.createStatement()) {
            try (var rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal"); // persistent in the file
            }
            try (var rs = s.executeQuery("SELECT version, description FROM schema_version ORDER BY version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("init");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("dkim keys");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getString(2)).isEqualTo("queue folder");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(4);
                assertThat(rs.getString(2)).isEqualTo("outbound");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(5);
                assertThat(rs.getString(2)).isEqualTo("reports");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(6);
                assertThat(rs.getString(2)).isEqualTo("imap");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
                assertThat(rs.getString(2)).isEqualTo("inline blobs");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(8);
                assertThat(rs.getString(2)).isEqualTo("sieve scripts");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(9);
                assertThat(rs.getString(2)).isEqualTo("filter tokens");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(10);
                assertThat(rs.getString(2)).isEqualTo("quarantine");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(11);
                assertThat(rs.getString(2)).isEqualTo("greylist");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(12);
                assertThat(rs.getString(2)).isEqualTo("sieve vacation");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(13);
                assertThat(rs.getString(2)).isEqualTo("keys");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(14);
                assertThat(rs.getString(2)).isEqualTo("api access");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(15);
                assertThat(rs.getString(2)).isEqualTo("secure policies");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(16);
                assertThat(rs.getString(2)).isEqualTo("lists");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(17);
                assertThat(rs.getString(2)).isEqualTo("sieve global");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(18);
                assertThat(rs.getString(2)).isEqualTo("totp");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(19);
                assertThat(rs.getString(2)).isEqualTo("evidence pending");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(20);
                assertThat(rs.getString(2)).isEqualTo("quarantine digest");
                assertThat(rs.next()).isFalse();
            }
        }
        reopen(); // migrations are not applied twice
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sealpost.db"));
             var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(20); // V1 to V20
        }
    }
}
