package dev.sealpost.store.internal;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.sasl.StoredCredentials;
import dev.sealpost.store.BlobStore;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/** The {@link Store}: wires the database, the writer, the blob store and the four views. */
public final class JdbcStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    private final Database db;
    private final GroupCommitWriter writer;
    /** SQLite in the data directory: checkpoints off the writer thread; else null. */
    private final WalCheckpointer checkpointer;
    private final TieredBlobStore blobs;
    private final JdbcDirectory directory;
    private final JdbcSpool spool;
    private final JdbcMailboxes mailboxes;
    private final JdbcOutboundQueue outbound;
    private final JdbcReports reports;
    private final JdbcSieveScripts sieveScripts;
    private final JdbcFilterTokens filterTokens;
    private final JdbcGreylist greylist;
    private final JdbcQuarantine quarantine;
    private final JdbcEvidenceJournal evidenceJournal;
    private final JdbcKeys keys;
    private final JdbcApiAccess apiAccess;
    private final JdbcMessageTrace trace;
    private final JdbcMailingLists lists;
    private final JdbcTotpSecrets totp;

    private JdbcStore(Database db, GroupCommitWriter writer, WalCheckpointer checkpointer, FsBlobStore files, int inlineLimit,
                      StoreConfig cfg, Function<char[], StoredCredentials> hasher) {
        this.db = db;
        this.writer = writer;
        this.checkpointer = checkpointer;
        this.blobs = new TieredBlobStore(files, db, writer, cfg.clock(), inlineLimit);
        this.directory = new JdbcDirectory(db, writer, cfg.clock(), hasher);
        MailboxEvents events = new MailboxEvents();
        this.spool = new JdbcSpool(db, writer, blobs, cfg.clock(), events);
        this.mailboxes = new JdbcMailboxes(db, writer, blobs, cfg.clock(), events);
        this.outbound = new JdbcOutboundQueue(db, writer, blobs, cfg.clock());
        this.reports = new JdbcReports(db, writer, cfg.clock());
        this.sieveScripts = new JdbcSieveScripts(db, writer, cfg.clock());
        this.filterTokens = new JdbcFilterTokens(db, writer);
        this.greylist = new JdbcGreylist(db, writer);
        this.quarantine = new JdbcQuarantine(db, writer);
        this.evidenceJournal = new JdbcEvidenceJournal(db, writer);
        KeyEncryptionKey kek = new KeyEncryptionKey(cfg.dataDir());
        this.keys = new JdbcKeys(db, writer, cfg.clock(), kek);
        this.totp = new JdbcTotpSecrets(db, writer, cfg.clock(), kek);
        this.apiAccess = new JdbcApiAccess(db, writer, cfg.clock());
        this.trace = new JdbcMessageTrace(db);
        this.lists = new JdbcMailingLists(db, writer, cfg.clock());
    }

    /** Opens with the production password hashing ({@link PasswordHasher#hash(char[])}). */
    public static Store open(StoreConfig cfg) {
        return open(cfg, PasswordHasher::hash);
    }

    /**
     * Opens with the given password hashing; tests pass cheap iteration counts
     * ({@code pw -> PasswordHasher.hash(pw, 1000, 4096)}).
     */
    public static Store open(StoreConfig cfg, Function<char[], StoredCredentials> hasher) {
        FsBlobStore blobs;
        int inlineLimit;
        try {
            inlineLimit = TieredBlobStore.configuredInlineLimit();
            FsBlobStore.createDirsDurably(cfg.dataDir().toAbsolutePath());
            blobs = new FsBlobStore(cfg.dataDir().resolve("blobs"));
        } catch (IllegalArgumentException e) {
            throw new StoreException("store: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("cannot prepare data directory " + cfg.dataDir() + ": " + e.getMessage(), e);
        }
        Database db = new Database(cfg);
        GroupCommitWriter writer = null;
        WalCheckpointer checkpointer = null;
        try {
            int version;
            // migrations manage their own transactions: run them before the writer starts
            try (Connection c = db.openWriter()) {
                version = Migrator.migrate(c, db.dialect(), cfg.clock());
            }
            writer = new GroupCommitWriter(db);
            if (db.sqliteFile() != null) checkpointer = new WalCheckpointer(db, writer, db.sqliteFile());
            LOG.info("store: opened {} (schema V{}), blobs up to {} bytes in the database, larger ones in {}",
                    db.describe(), version, inlineLimit, blobs.root());
            return new JdbcStore(db, writer, checkpointer, blobs, inlineLimit, cfg, hasher);
        } catch (SQLException | RuntimeException e) {
            if (checkpointer != null) checkpointer.close();
            if (writer != null) writer.close();
            db.close();
            if (e instanceof StoreException se) throw se;
            throw new StoreException("cannot open store at " + db.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Directory directory() {
        return directory;
    }

    @Override
    public BlobStore blobs() {
        return blobs;
    }

    @Override
    public Spool spool() {
        return spool;
    }

    @Override
    public Mailboxes mailboxes() {
        return mailboxes;
    }

    @Override
    public dev.sealpost.store.OutboundQueue outbound() {
        return outbound;
    }

    @Override
    public dev.sealpost.store.Reports reports() {
        return reports;
    }

    @Override
    public dev.sealpost.store.SieveScripts sieveScripts() {
        return sieveScripts;
    }

    @Override
    public dev.sealpost.store.FilterTokens filterTokens() {
        return filterTokens;
    }

    @Override
    public dev.sealpost.store.ApiAccess apiAccess() {
        return apiAccess;
    }

    @Override
    public dev.sealpost.store.TotpSecrets totp() {
        return totp;
    }

    @Override
    public dev.sealpost.store.MessageTrace trace() {
        return trace;
    }

    @Override
    public dev.sealpost.store.MailingLists lists() {
        return lists;
    }

    @Override
    public dev.sealpost.store.Greylist greylist() {
        return greylist;
    }

    @Override
    public dev.sealpost.store.EvidenceJournal evidenceJournal() {
        return evidenceJournal;
    }

    @Override
    public dev.sealpost.store.Quarantine quarantine() {
        return quarantine;
    }

    @Override
    public dev.sealpost.store.Keys keys() {
        return keys;
    }

    @Override
    public void close() {
        if (checkpointer != null) checkpointer.close();
        writer.close();
        db.close();
    }
}
