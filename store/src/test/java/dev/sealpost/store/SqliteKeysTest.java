package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;

import java.nio.file.Path;

/** The key store contract on SQLite in a temp directory. */
class SqliteKeysTest extends KeysContract {
    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) {
        return new StoreConfig(dataDir, null, null, null, clock);
    }
}
