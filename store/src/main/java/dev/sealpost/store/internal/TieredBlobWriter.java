package dev.sealpost.store.internal;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * Holds content in memory while it is at most the store's inline limit; the first write beyond it
 * moves everything to a file blob writer ({@link FsBlobWriter}), which streams from then on. So
 * memory use is bounded by the inline limit whatever the size.
 *
 * <p>{@link #commit()} stores a small content as a database row in a transaction of its own;
 * {@link JdbcSpool#enqueue(dev.sealpost.store.Spool.Envelope, BlobWriter, String)} takes the row
 * with {@link #pendingInline()} instead and inserts it in the spool transaction.
 */
final class TieredBlobWriter extends BlobWriter {
    private final TieredBlobStore store;
    private Buffer memory = new Buffer();
    private BlobWriter file;
    private long size;
    private boolean finished;

    /** A ByteArrayOutputStream whose array can be read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(8192);
        }

        byte[] array() {
            return buf;
        }
    }

    TieredBlobWriter(TieredBlobStore store) {
        this.store = store;
    }

    TieredBlobStore store() {
        return store;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finished) throw new IOException("blob writer already committed or aborted");
        if (len == 0) return;
        if (file == null && size + len > store.inlineLimit()) {
            file = store.files().newWriter();
            try {
                file.write(memory.array(), 0, memory.size());
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
            memory = null;
        }
        if (file != null) {
            try {
                file.write(b, off, len);
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        } else {
            memory.write(b, off, len);
        }
        size += len;
    }

    /**
     * The database row for this content when it stayed within the inline limit, else null (the
     * content is in a file writer: {@link #commit()} it). Leaves the writer open.
     */
    InlineBlob pendingInline() throws IOException {
        if (finished) throw new IOException("blob writer already committed or aborted");
        return file == null ? InlineBlob.encode(memory.array(), memory.size()) : null;
    }

    /** Marks the content as stored by someone else (the row from {@link #pendingInline()} was committed). */
    void storedInline() {
        finished = true;
        memory = null;
    }

    @Override
    public BlobRef commit() throws IOException {
        if (finished) throw new IOException("blob writer already committed or aborted");
        try {
            BlobRef ref = file != null ? file.commit() : store.putInline(pendingInline());
            finished = true;
            memory = null;
            return ref;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public void abort() {
        if (finished) return;
        finished = true;
        memory = null;
        if (file != null) file.abort();
    }
}
