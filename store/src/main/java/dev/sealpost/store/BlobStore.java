package dev.sealpost.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content-addressed, write-once blob storage for message bodies: {@code blobs/ab/<sha256>}.
 * Blobs are compressed on disk where it pays; readers always get the original bytes.
 */
public interface BlobStore {

    /** A writer for one new blob. */
    BlobWriter newWriter();

    /** Stores {@code content} durably (see {@link BlobWriter#commit()}). */
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

    /** Bytes used on disk by all blobs (after compression); walks the tree, so not cheap. */
    long storedBytes() throws IOException;
}
