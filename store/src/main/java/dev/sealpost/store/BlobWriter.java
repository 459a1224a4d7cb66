package dev.sealpost.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams one blob to disk. Not thread-safe. Either {@link #commit()} or {@link #abort()} it;
 * {@link #close()} without a commit aborts. Memory use is bounded whatever the size.
 */
public abstract class BlobWriter extends OutputStream {

    /** Bytes written so far (original, uncompressed). */
    public abstract long size();

    /**
     * Finishes the blob: on return its content is on disk, fsync'd, under its final name
     * (durable), and the writer is closed. Identical content already stored is shared (dedup).
     */
    public abstract BlobRef commit() throws IOException;

    /** Discards what was written and deletes the temp file; idempotent. */
    public abstract void abort();

    /** Aborts unless committed. */
    @Override
    public void close() {
        abort();
    }
}
