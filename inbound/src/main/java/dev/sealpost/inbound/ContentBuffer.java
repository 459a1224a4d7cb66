package dev.sealpost.inbound;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Holds one message's content while DATA arrives and the content policies look at it: in
 * memory up to a threshold, then in an unsynced temporary file (the durable copy is the blob
 * written afterwards, so this one needs no fsync). Not thread-safe.
 */
final class ContentBuffer extends OutputStream implements MessageContent {
    private final Path tmpDir;
    private final int memoryLimit;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
    private Path file;
    private OutputStream fileOut;
    private long size;
    private String folder;

    ContentBuffer(Path tmpDir, int memoryLimit) {
        this.tmpDir = tmpDir;
        this.memoryLimit = memoryLimit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (memory != null && memory.size() + len > memoryLimit) spill();
        if (memory != null) memory.write(b, off, len);
        else fileOut.write(b, off, len);
        size += len;
    }

    private void spill() throws IOException {
        Files.createDirectories(tmpDir);
        file = Files.createTempFile(tmpDir, "msg", ".tmp");
        fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        memory.writeTo(fileOut);
        memory = null;
    }

    @Override
    public void fileInto(String specialUse) {
        folder = specialUse;
    }

    /** The special-use mailbox a policy asked for, or null for INBOX. */
    String folder() {
        return folder;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open() throws IOException {
        if (memory != null) return new ByteArrayInputStream(memory.toByteArray());
        fileOut.flush();
        return new java.io.BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    }

    /** Deletes the temporary file, if any. Idempotent. */
    void discard() {
        memory = null;
        if (file != null) {
            try {
                fileOut.close();
            } catch (IOException ignored) {
                // deleting anyway
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is swept at start-up
            }
            file = null;
        }
    }
}
