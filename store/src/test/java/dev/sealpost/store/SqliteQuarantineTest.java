package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import java.nio.file.Path;

/** The quarantine contract on SQLite in a temp directory. */
class SqliteQuarantineTest extends QuarantineContract {
    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) {
        return new StoreConfig(dataDir, null, null, null, clock);
    }
}
