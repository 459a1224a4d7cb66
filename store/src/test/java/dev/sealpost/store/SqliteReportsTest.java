package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import java.nio.file.Path;

/** The report data contract on SQLite in a temp directory. */
class SqliteReportsTest extends ReportsContract {
    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) {
        return new StoreConfig(dataDir, null, null, null, clock);
    }
}
