package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import java.nio.file.Path;

/** The roles and tokens contract on SQLite in a temp directory. */
class SqliteApiAccessTest extends ApiAccessContract {
    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) {
        return new StoreConfig(dataDir, null, null, null, clock);
    }
}
