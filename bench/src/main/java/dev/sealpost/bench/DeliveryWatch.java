package dev.sealpost.bench;

import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counts the messages delivered so far, to see when a run is complete end to end. */
public sealed interface DeliveryWatch extends AutoCloseable {

    /** Messages now in the mailbox. */
    long count() throws IOException;

    @Override
    default void close() {}

    /**
     * A Sealpost account's INBOX, read through the store in a second process (SQLite WAL: readers
     * never block the server's writer). A message counts once its delivery transaction committed.
     * Open it before the load starts: opening the store sweeps the blob temp directory.
     */
    static DeliveryWatch sealpost(Path dataDir, String account) {
        Store store = Store.open(StoreConfig.sqlite(dataDir));
        try {
            long id = store.directory().account(account)
                    .orElseThrow(() -> new IllegalArgumentException("no account " + account + " in " + dataDir)).id();
            return new StoreWatch(store, id);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * A Maildir's {@code new/} directory (Postfix local delivery renames each message from
     * {@code tmp/} into {@code new/} after fsync, so a file there is a delivered message).
     */
    static DeliveryWatch maildir(Path maildir) {
        return new MaildirWatch(maildir.resolve("new"));
    }

    record StoreWatch(Store store, long accountId) implements DeliveryWatch {
        @Override
        public long count() {
            for (Mailboxes.MailboxInfo m : store.mailboxes().list(accountId)) {
                if (m.name().equalsIgnoreCase("INBOX")) return m.messages();
            }
            return 0;
        }

        @Override
        public void close() {
            store.close();
        }
    }

    record MaildirWatch(Path newDir) implements DeliveryWatch {
        @Override
        public long count() throws IOException {
            if (!Files.isDirectory(newDir)) return 0;
            long n = 0;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(newDir)) {
                for (Path ignored : ds) n++;
            }
            return n;
        }
    }
}
