package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;

import java.nio.file.Path;

/** The Sieve script store contract on SQLite in a temp directory. */
class SqliteSieveScriptsTest extends SieveScriptsContract {
    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) {
        return new StoreConfig(dataDir, null, null, null, clock);
    }
}
