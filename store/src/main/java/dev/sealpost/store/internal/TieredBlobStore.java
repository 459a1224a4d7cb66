package dev.sealpost.store.internal;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobStore;
import dev.sealpost.store.BlobWriter;
import dev.sealpost.store.StoreException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * The store's {@link BlobStore}: content up to {@link #inlineLimit()} bytes is a row of the
 * {@code blobs} table, larger content a file of the {@link FsBlobStore}. Both are content-addressed
 * with the same id (SHA-256) and the same stored form (format byte, raw or deflated), and readers
 * do not see the difference: {@link #open} looks for a file, then for a row.
 *
 * <p>Why: a small message accepted over SMTP then costs a share of the spool's group-committed
 * database transaction instead of a file fsync, a directory fsync and the commit in a row
 * (docs/adr/0004-small-messages-in-the-database.md).
 *
 * <p>Configuration: the system property {@value #INLINE_LIMIT_PROPERTY} (bytes; 0 keeps every blob
 * in a file) overrides {@link #DEFAULT_INLINE_LIMIT}.
 */
final class TieredBlobStore implements BlobStore {
    /**
     * 256 KiB: text and HTML mail and most mail with a small attachment; 100 KiB messages are
     * accepted about twice as fast as rows than as files (docs/adr/0005-writer-and-runtime-tuning.md).
     */
    static final int DEFAULT_INLINE_LIMIT = 256 * 1024;
    static final String INLINE_LIMIT_PROPERTY = "sealpost.store.inline-limit";
    /** Upper bound of the setting: the content is held in memory until it is stored. */
    static final int MAX_INLINE_LIMIT = 1024 * 1024;

    private final FsBlobStore files;
    private final Database db;
    private final GroupCommitWriter writer;
    private final Clock clock;
    private final int inlineLimit;

    TieredBlobStore(FsBlobStore files, Database db, GroupCommitWriter writer, Clock clock, int inlineLimit) {
        if (inlineLimit < 0 || inlineLimit > MAX_INLINE_LIMIT) {
            throw new IllegalArgumentException("inline blob limit must be 0.." + MAX_INLINE_LIMIT + ", got " + inlineLimit);
        }
        this.files = files;
        this.db = db;
        this.writer = writer;
        this.clock = clock;
        this.inlineLimit = inlineLimit;
    }

    /** The limit from {@value #INLINE_LIMIT_PROPERTY}, else the default. */
    static int configuredInlineLimit() {
        String v = System.getProperty(INLINE_LIMIT_PROPERTY);
        if (v == null || v.isBlank()) return DEFAULT_INLINE_LIMIT;
        int limit;
        try {
            limit = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(INLINE_LIMIT_PROPERTY + ": not a number of bytes: " + v);
        }
        if (limit < 0 || limit > MAX_INLINE_LIMIT) {
            throw new IllegalArgumentException(INLINE_LIMIT_PROPERTY + ": must be 0.." + MAX_INLINE_LIMIT + " bytes, got " + limit);
        }
        return limit;
    }

    FsBlobStore files() {
        return files;
    }

    @Override
    public long inlineLimit() {
        return inlineLimit;
    }

    @Override
    public BlobWriter newWriter() {
        return inlineLimit > 0 ? new TieredBlobWriter(this) : files.newWriter();
    }

    @Override
    public BlobRef put(byte[] content) throws IOException {
        try (BlobWriter w = newWriter()) {
            w.write(content);
            return w.commit();
        } catch (IOException e) {
            // a full disk is a store failure like SQLITE_FULL (and so answered the same way by every
            // caller: IMAP APPEND's NO [UNAVAILABLE] rather than a dropped connection)
            if (StoreException.kindOf(e) == StoreException.Kind.FULL) {
                throw new StoreException(StoreException.Kind.FULL, "blob store full: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Stores a row in a transaction of its own; durable on return. */
    BlobRef putInline(InlineBlob blob) {
        writer.write(c -> {
            insert(c, blob);
            return null;
        });
        return blob.ref();
    }

    /** Inserts the row in the caller's transaction; a row with the same id (same content) is kept as it is. */
    void insert(Connection c, InlineBlob blob) throws SQLException {
        Sql.update(c, "INSERT INTO blobs (id, size, content, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                blob.id(), blob.size(), blob.encoded(), clock.millis());
    }

    /** True when the blob is a row, as seen by the caller's transaction. */
    boolean rowExists(Connection c, String blobId) throws SQLException {
        return Sql.one(c, "SELECT 1 FROM blobs WHERE id = ?", rs -> rs.getInt(1), blobId).isPresent();
    }

    @Override
    public InputStream open(String blobId) throws IOException {
        if (!FsBlobStore.validId(blobId)) throw new IllegalArgumentException("not a blob id: " + blobId);
        try {
            return files.open(blobId);
        } catch (NoSuchFileException missing) {
            // large blobs are files, small ones rows: a failed open(2) is cheaper than a query
            Optional<byte[]> row = db.read(c -> Sql.one(c, "SELECT content FROM blobs WHERE id = ?", rs -> rs.getBytes(1), blobId));
            if (row.isEmpty()) throw missing;
            return FsBlobStore.decoded(new ByteArrayInputStream(row.get()), blobId);
        }
    }

    @Override
    public boolean exists(String blobId) {
        if (!FsBlobStore.validId(blobId)) return false;
        return files.exists(blobId)
                || db.read(c -> Sql.one(c, "SELECT 1 FROM blobs WHERE id = ?", rs -> rs.getInt(1), blobId)).isPresent();
    }

    @Override
    public long storedBytes() throws IOException {
        long rows = db.read(c -> Sql.one(c, "SELECT COALESCE(SUM(LENGTH(content)), 0) FROM blobs", rs -> rs.getLong(1))).orElse(0L);
        return files.storedBytes() + rows;
    }
}
