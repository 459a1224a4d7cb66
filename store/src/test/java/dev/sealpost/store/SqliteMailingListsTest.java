package dev.sealpost.store;

import dev.sealpost.testkit.MutableClock;
import java.nio.file.Path;

/** The lists and groups contract on SQLite in a temp directory. */
class SqliteMailingListsTest extends MailingListsContract {
    @Override
    protected StoreConfig freshConfig(Path dataDir, MutableClock clock) {
        return new StoreConfig(dataDir, null, null, null, clock);
    }
}
