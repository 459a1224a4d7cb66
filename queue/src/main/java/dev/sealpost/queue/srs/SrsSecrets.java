package dev.sealpost.queue.srs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The SRS keys: one secret a line (base64 or any text of at least 16 characters), the first
 * line signs, every line verifies. {@code #} starts a comment line. To rotate, add a new first
 * line and drop the old one after {@code max_age_days}.
 */
public final class SrsSecrets {
    private static final int MIN_LENGTH = 16;

    private final List<byte[]> secrets;

    private SrsSecrets(List<byte[]> secrets) {
        if (secrets.isEmpty()) throw new IllegalArgumentException("no SRS secret");
        this.secrets = List.copyOf(secrets);
    }

    /** Secrets given directly (tests); the first signs. */
    public static SrsSecrets of(String... secrets) {
        List<byte[]> list = new ArrayList<>();
        for (String s : secrets) list.add(s.getBytes(StandardCharsets.UTF_8));
        return new SrsSecrets(list);
    }

    /**
     * Reads {@code file}, creating it with one new random secret (owner read and write only)
     * when it does not exist.
     *
     * @throws IOException when it cannot be read or written, or holds no usable secret
     */
    public static SrsSecrets load(Path file) throws IOException {
        if (!Files.exists(file)) create(file);
        List<byte[]> list = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            if (s.length() < MIN_LENGTH) throw new IOException(file + ": an SRS secret must have at least " + MIN_LENGTH + " characters");
            list.add(s.getBytes(StandardCharsets.UTF_8));
        }
        if (list.isEmpty()) throw new IOException(file + ": no SRS secret in it");
        return new SrsSecrets(list);
    }

    private static void create(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String text = "# SRS secrets: the first line signs, all lines verify (add a new first line to rotate)\n"
                + Base64.getEncoder().encodeToString(key) + "\n";
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system
            }
        } catch (FileAlreadyExistsException e) {
            return; // created meanwhile by another start
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The secret that signs. */
    byte[] signing() {
        return secrets.getFirst();
    }

    /** Every secret, the signing one first. */
    List<byte[]> all() {
        return secrets;
    }
}
