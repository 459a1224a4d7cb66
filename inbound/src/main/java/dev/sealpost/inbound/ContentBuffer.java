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
    /** Set when the temporary file could not be written (e.g. a full disk); later content is dropped. */
    private IOException failure;

    ContentBuffer(Path tmpDir, int memoryLimit) {
        this.tmpDir = tmpDir;
        this.memoryLimit = memoryLimit;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        size += len;
        if (failure != null) return; // the rest of DATA is read and dropped; the commit refuses it
        try {
            if (memory != null && memory.size() + len > memoryLimit) spill();
            if (memory != null) memory.write(b, off, len);
            else fileOut.write(b, off, len);
        } catch (IOException e) {
            // kept for the commit, which answers it (452 4.3.1 when the disk is full) with the session
            // going on; the temp file goes at once, giving back what it took
            failure = e;
            memory = null;
            discard();
        }
    }

    /** Why the content could not be kept (the temporary file failed), or null. */
    IOException failure() {
        return failure;
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

    private final java.util.Map<Class<?>, Object> attachments = new java.util.HashMap<>();
    private boolean deliverLater;

    @Override
    public <T> void attach(Class<T> type, T value) {
        attachments.put(type, value);
    }

    @Override
    public <T> T attachment(Class<T> type) {
        return type.cast(attachments.get(type));
    }

    @Override
    public void deliverLater() {
        deliverLater = true;
    }

    /** Whether a policy asked that local delivery see the message (no filing at acceptance). */
    boolean deliverLaterAsked() {
        return deliverLater;
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
        if (failure != null) throw failure;
        if (memory != null) return new ByteArrayInputStream(memory.toByteArray());
        fileOut.flush();
        return new java.io.BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    }

    @Override
    public void replace(byte[] content) {
        if (failure != null) return; // the commit refuses the message anyway
        discard();
        memory = new ByteArrayOutputStream(content.length);
        memory.writeBytes(content);
        size = content.length;
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
