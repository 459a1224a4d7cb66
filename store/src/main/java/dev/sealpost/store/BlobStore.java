package dev.sealpost.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content-addressed, write-once blob storage for message bodies. Content up to
 * {@link #inlineLimit()} bytes is a row of the database ({@code blobs} table), larger content a
 * file {@code blobs/ab/<sha256>}; both are compressed where it pays, and readers always get the
 * original bytes wherever the blob is.
 */
public interface BlobStore {

    /** A writer for one new blob. */
    BlobWriter newWriter();

    /**
     * Stores {@code content} durably (see {@link BlobWriter#commit()}).
     *
     * @throws StoreException of kind {@link StoreException.Kind#FULL} when there is no space left
     *                        (in the database or for the file), with the original cause
     * @throws IOException    on other failures to write the file
     */
    BlobRef put(byte[] content) throws IOException;

    /**
     * Opens a blob for reading, decompressing transparently.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such blob
     * @throws IllegalArgumentException when {@code blobId} is not 64 lowercase hex digits
     */
    InputStream open(String blobId) throws IOException;

    /** True when a blob with this id is stored; false also for a malformed id. */
    boolean exists(String blobId);

    /**
     * Largest content (bytes) kept in the database rather than in a file; 0 when every blob is a
     * file. {@link Spool#enqueue(Spool.Envelope, BlobWriter, String)} stores such content in the same
     * transaction as the queue rows (docs/adr/0004-small-messages-in-the-database.md).
     */
    default long inlineLimit() {
        return 0;
    }

    /** Bytes used by all blobs (after compression): files and database rows; walks the tree, so not cheap. */
    long storedBytes() throws IOException;
}
