package dev.sealpost.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;

/**
 * Making writes survive a crash or power cut: fsync of files and of the directories that name
 * them, and the write-to-temp, fsync, rename, fsync-directory sequence.
 *
 * <p>A rename or a new file is only durable once its directory is fsync'd (POSIX leaves
 * directory entries in the page cache until then); many mail servers lost mail by skipping
 * this step.
 */
public final class Fsync {
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private Fsync() {}

    /** Flushes a file's data and metadata to stable storage (fsync(2)). */
    public static void fsyncFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        // Linux and the BSDs fsync a read-only descriptor; Windows' FlushFileBuffers needs write access.
        StandardOpenOption mode = WINDOWS ? StandardOpenOption.WRITE : StandardOpenOption.READ;
        try (FileChannel ch = FileChannel.open(file, mode)) {
            ch.force(true);
        }
    }

    /**
     * Flushes a directory, making file creations, renames and deletions in it durable.
     *
     * <p>Errors are ignored in two cases only, where the OS cannot do it rather than failed to:
     * on Windows, where a directory cannot be opened as a channel (NTFS journals its metadata);
     * and where fsync of a directory descriptor fails with EINVAL or EBADF, which some file
     * systems return because they do not support it (PostgreSQL's {@code fsync_fname} makes the
     * same exception). Every other error (EIO above all) is thrown: the data may be lost.
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (WINDOWS) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("Invalid argument") || msg.contains("Bad file descriptor")) return;
            throw e;
        }
    }

    /**
     * Replaces {@code target} with {@code data} so that after a crash it holds either the old
     * or the new content, never a mix: write a temporary file in the same directory, fsync it,
     * rename it over the target atomically, fsync the directory. The temporary file is created
     * with owner-only permissions on POSIX file systems ({@link Files#createTempFile}); the
     * target takes those permissions. On failure the temporary file is deleted and the target
     * is left as it was.
     *
     * @throws AtomicMoveNotSupportedException when the file system cannot rename atomically
     */
    public static void writeDurably(Path target, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new IOException("no parent directory for " + target);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            fsyncDirectory(dir);
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }
}
