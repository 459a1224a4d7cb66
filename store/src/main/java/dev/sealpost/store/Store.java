package dev.sealpost.store;

import dev.sealpost.store.internal.JdbcStore;

/**
 * The storage layer: directory, blob store, spool and mailboxes over one database
 * (SQLite by default, PostgreSQL for scale) and one blob directory.
 * Thread-safe; open one per process and close it on shutdown.
 */
public interface Store extends AutoCloseable {

    /**
     * Opens (creating when needed) the store: makes the directories, applies pending schema
     * migrations, sweeps blob temp files left by a crash and starts the writer thread.
     *
     * @throws StoreException when the database cannot be opened or migrated
     */
    static Store open(StoreConfig cfg) {
        return JdbcStore.open(cfg);
    }

    Directory directory();

    BlobStore blobs();

    Spool spool();

    Mailboxes mailboxes();

    /** The outbound (remote delivery) queue: scheduling, results, DSN bookkeeping, administration. */
    OutboundQueue outbound();

    /** Report data: DMARC observations for our aggregate reports, report runs, received DMARC and TLS-RPT reports. */
    Reports reports();

    /** Each account's Sieve scripts (RFC 5228), managed over ManageSieve (RFC 5804), the active one run at delivery. */
    SieveScripts sieveScripts();

    /** The statistical spam classifier's token counts (global and per account), shared by every node. */
    FilterTokens filterTokens();

    /** Greylisting triplets (client network, sender, recipient), shared by every node. */
    Greylist greylist();

    /** Messages the filter held: accepted, never in a mailbox, kept for a number of days (migration V10). */
    Quarantine quarantine();

    /** Evidence records committed with their acceptance and not yet in the Merkle log (migration V19). */
    default EvidenceJournal evidenceJournal() {
        throw new UnsupportedOperationException("this store has no evidence journal");
    }

    /** Message-security keys: own keys (private parts sealed under the key-encryption key), others' keys, domain CAs. */
    Keys keys();

    /** Account roles and API bearer tokens (migration V14). */
    ApiAccess apiAccess();

    /** Message traces from the queue and delivery records. */
    MessageTrace trace();
    /** Distribution lists and groups (migration V16, docs/lists.md). */
    MailingLists lists();

    /** TOTP second factors for the web login, secrets sealed (migration V18, docs/web-admin.md). */
    default TotpSecrets totp() {
        throw new UnsupportedOperationException("this store keeps no TOTP secrets");
    }

    /** Stops the writer (after finishing queued work) and closes all connections. */
    @Override
    void close();
}
