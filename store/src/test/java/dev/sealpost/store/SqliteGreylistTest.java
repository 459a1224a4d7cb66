package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import java.nio.file.Path;

/** The greylisting table contract on SQLite in a temp directory. */
class SqliteGreylistTest extends GreylistContract {
    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) {
        return new StoreConfig(dataDir, null, null, null, clock);
    }
}
