package dev.sealpost.store.internal;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Streams one blob: hashes the original bytes (SHA-256) while writing. Content up to
 * {@link #COMPRESS_THRESHOLD} bytes stays in a small buffer and is stored raw; beyond that it is
 * deflated straight into a temp file. At commit, if deflating saved less than
 * {@link #MIN_SAVING_PERCENT}%, the temp file is rewritten raw (one extra pass, only for
 * incompressible content). Memory use is bounded by the buffers whatever the size.
 */
final class FsBlobWriter extends BlobWriter {
    /** Bodies up to this size are not worth compressing. */
    static final int COMPRESS_THRESHOLD = 1024;
    /** Keep the deflated form only when it is at least this much smaller. */
    static final int MIN_SAVING_PERCENT = 10;

    private final FsBlobStore store;
    private final MessageDigest sha256;
    private final byte[] small = new byte[COMPRESS_THRESHOLD];
    private long size;
    private Path temp;
    private FileChannel channel;
    private DeflaterOutputStream deflating;
    private Deflater deflater;
    private boolean finished;

    FsBlobWriter(FsBlobStore store) {
        this.store = store;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
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
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (finished) throw new IOException("blob writer already committed or aborted");
        if (len == 0) return;
        sha256.update(b, off, len);
        if (deflating == null && size + len <= COMPRESS_THRESHOLD) {
            System.arraycopy(b, off, small, (int) size, len);
            size += len;
            return;
        }
        try {
            if (deflating == null) startDeflating();
            deflating.write(b, off, len);
            size += len;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    private void startDeflating() throws IOException {
        temp = store.newTempPath();
        channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        file.write(FsBlobStore.FORMAT_DEFLATE);
        // BEST_SPEED: this runs before "250"; level 6 cost 5-9 ms of CPU per 100 KiB body for a few
        // per cent of extra saving (docs/benchmarks.md)
        deflater = new Deflater(Deflater.BEST_SPEED);
        deflating = new DeflaterOutputStream(file, deflater, 16 * 1024);
        deflating.write(small, 0, (int) size);
    }

    @Override
    public BlobRef commit() throws IOException {
        if (finished) throw new IOException("blob writer already committed or aborted");
        try {
            String id = HexFormat.of().formatHex(sha256.digest());
            Path done;
            if (deflating == null) {
                done = writeRaw(out -> out.write(small, 0, (int) size));
            } else {
                deflating.finish();
                deflating.flush();
                long compressed = deflater.getBytesWritten();
                deflater.end();
                if (compressed * 100 > size * (100 - MIN_SAVING_PERCENT)) {
                    // did not pay: store raw, inflating the temp file back
                    channel.close();
                    Path deflated = temp;
                    temp = null;
                    try {
                        done = writeRaw(out -> {
                            try (InputStream raw = Files.newInputStream(deflated)) {
                                if (raw.read() != FsBlobStore.FORMAT_DEFLATE) throw new IOException("temp blob corrupted");
                                try (InputStream in = new InflaterInputStream(raw)) {
                                    in.transferTo(out);
                                }
                            }
                        });
                    } finally {
                        Files.deleteIfExists(deflated);
                    }
                } else {
                    channel.force(true);
                    channel.close();
                    done = temp;
                }
            }
            store.install(done, id);
            temp = null;
            finished = true;
            return new BlobRef(id, size);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a raw-format temp file and fsyncs it; becomes {@link #temp}. */
    private Path writeRaw(Body body) throws IOException {
        Path p = store.newTempPath();
        temp = p;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
            out.write(FsBlobStore.FORMAT_RAW);
            body.writeTo(out);
            out.flush();
            ch.force(true);
        }
        return p;
    }

    @Override
    public void abort() {
        if (finished) return;
        finished = true;
        if (deflater != null) deflater.end();
        Database.closeQuietly(channel);
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // swept on the next start
            }
            temp = null;
        }
    }
}
