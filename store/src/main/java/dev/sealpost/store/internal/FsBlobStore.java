package dev.sealpost.store.internal;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobStore;
import dev.sealpost.store.BlobWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Blobs on the file system: {@code root/ab/<sha256>} where {@code ab} are the first two
 * hex digits. Each file starts with a one-byte format header ({@link #FORMAT_RAW} or
 * {@link #FORMAT_DEFLATE}, zlib stream with its Adler-32 check). New blobs are written to
 * {@code root/tmp/}, fsync'd and renamed atomically into place, then the directory is fsync'd.
 */
public final class FsBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(FsBlobStore.class);
    static final int FORMAT_RAW = 0;
    static final int FORMAT_DEFLATE = 1;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final Path tmp;
    private final AtomicLong tmpCounter = new AtomicLong();

    public FsBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        this.tmp = this.root.resolve("tmp");
        createDirsDurably(tmp);
        sweepTemp();
    }

    /** Deletes temp files left by a crash (called on open, before any writer exists). */
    int sweepTemp() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                // temp names start with the writer's pid: an admin command opening the store while
                // the server runs must not delete the server's in-flight writes
                if (writerAlive(p.getFileName().toString())) continue;
                Files.deleteIfExists(p);
                n++;
            }
        }
        if (n > 0) {
            LOG.info("blob store: removed {} temp file(s) left by an interrupted write", n);
            fsyncDir(tmp);
        }
        return n;
    }

    /** True when the temp file's name starts with the pid of a running process (other than a crashed one). */
    static boolean writerAlive(String tempName) {
        int dash = tempName.indexOf('-');
        if (dash <= 0) return false;
        try {
            long pid = Long.parseLong(tempName.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    Path root() {
        return root;
    }

    Path newTempPath() {
        return tmp.resolve(ProcessHandle.current().pid() + "-" + tmpCounter.incrementAndGet() + "-" + System.nanoTime() + ".tmp");
    }

    /** The final path of a blob id (already validated). */
    Path pathOf(String id) {
        // one level of 256 buckets: created once, so a new blob costs no mkdir and no parent-directory fsync
        // (two levels meant a new directory, and an extra fsync, for almost every message: docs/benchmarks.md)
        return root.resolve(id.substring(0, 2)).resolve(id);
    }

    static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    @Override
    public BlobWriter newWriter() {
        return new FsBlobWriter(this);
    }

    @Override
    public BlobRef put(byte[] content) throws IOException {
        try (BlobWriter w = newWriter()) {
            w.write(content);
            return w.commit();
        }
    }

    @Override
    public InputStream open(String blobId) throws IOException {
        if (!validId(blobId)) throw new IllegalArgumentException("not a blob id: " + blobId);
        return decoded(new BufferedInputStream(Files.newInputStream(pathOf(blobId)), 16 * 1024), blobId);
    }

    /** Reads the format byte of a stored blob (file or database row) and returns the original content stream. */
    static InputStream decoded(InputStream in, String blobId) throws IOException {
        try {
            int format = in.read();
            return switch (format) {
                case FORMAT_RAW -> in;
                case FORMAT_DEFLATE -> inflating(in);
                default -> throw new IOException("blob " + blobId + ": unknown format byte " + format);
            };
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** An inflating stream that frees its native inflater on close (a caller-supplied one is not freed by the JDK). */
    private static InputStream inflating(InputStream in) {
        Inflater inflater = new Inflater();
        return new InflaterInputStream(in, inflater, 16 * 1024) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    inflater.end();
                }
            }
        };
    }

    @Override
    public boolean exists(String blobId) {
        return validId(blobId) && Files.isRegularFile(pathOf(blobId));
    }

    @Override
    public long storedBytes() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.startsWith(tmp) && Files.isRegularFile(p)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        }
    }

    /** Moves a finished, fsync'd temp file to its final name (or drops it when the blob exists: dedup). */
    void install(Path temp, String id) throws IOException {
        Path target = pathOf(id);
        createDirsDurably(target.getParent());
        if (Files.exists(target)) {
            Files.deleteIfExists(temp); // same content already stored
            return;
        }
        try {
            // rename(2) is atomic; a concurrent writer of the same content may win, and its file is identical
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
            return;
        }
        fsyncDir(target.getParent());
    }

    /** Creates missing directories, fsync'ing each parent so the new entries survive a crash. */
    static void createDirsDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.getParent();
        if (parent != null) createDirsDurably(parent);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
            return;
        }
        if (parent != null) fsyncDir(parent);
    }

    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
