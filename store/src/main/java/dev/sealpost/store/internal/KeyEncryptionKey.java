package dev.sealpost.store.internal;

import dev.sealpost.store.StoreException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server key-encryption key (KEK) that seals private keys stored in the database: 32 random
 * octets in {@code keys/kek} under the data directory, created at first use with owner-only
 * permissions (directory 0700, file 0600) and refused when group or others can read it. A sealed
 * value is {@code 0x01 || kek-id (8) || nonce (12) || AES-256-GCM ciphertext+tag (16)}; the
 * associated data is the format byte, the KEK id and the caller's key id, so a sealed value moved
 * to another row (another key id) does not open. Retired KEKs ({@code keys/kek-<id>}, left by
 * {@link #rotate}) still open values sealed under them.
 *
 * <p>Security: the KEK never enters the database, so a database dump or backup alone does not
 * reveal private keys; the data directory with {@code keys/} does (docs/keys.md).
 */
public final class KeyEncryptionKey {
    private static final byte FORMAT = 1;
    private static final int KEY_LEN = 32, ID_LEN = 8, NONCE_LEN = 12, TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();
    private byte[] current;
    private String currentId;
    private final Map<String, byte[]> all = new HashMap<>();

    /** The KEK kept in {@code dataDir/keys/}; nothing is read or created until first use. */
    public KeyEncryptionKey(Path dataDir) {
        this.dir = dataDir.resolve("keys");
    }

    /** The file holding the current KEK. */
    public Path file() {
        return dir.resolve("kek");
    }

    /** The current KEK's id (16 hex digits), creating the KEK when there is none. */
    public String currentId() {
        lock.lock();
        try {
            load(true);
            return currentId;
        } finally {
            lock.unlock();
        }
    }

    /** Seals {@code plaintext} under the current KEK, bound to {@code keyId}. */
    public byte[] seal(String keyId, byte[] plaintext) {
        byte[] kek;
        byte[] id;
        lock.lock();
        try {
            load(true);
            kek = current;
            id = HexFormat.of().parseHex(currentId);
        } finally {
            lock.unlock();
        }
        byte[] nonce = new byte[NONCE_LEN];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad(id, keyId));
            byte[] ct = gcm.doFinal(plaintext);
            return ByteBuffer.allocate(1 + ID_LEN + NONCE_LEN + ct.length).put(FORMAT).put(id).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    }

    /** The KEK id a sealed value was made under (16 hex digits). */
    public static String idOf(byte[] sealed) {
        if (sealed.length < 1 + ID_LEN + NONCE_LEN + TAG_BITS / 8 || sealed[0] != FORMAT) throw new StoreException("not a sealed private key");
        return HexFormat.of().formatHex(sealed, 1, 1 + ID_LEN);
    }

    /**
     * Opens a sealed value.
     *
     * @throws StoreException when its KEK is missing, or it was altered or belongs to another key id
     */
    public byte[] open(String keyId, byte[] sealed) {
        String id = idOf(sealed);
        byte[] kek;
        lock.lock();
        try {
            load(false);
            kek = all.get(id);
        } finally {
            lock.unlock();
        }
        if (kek == null) throw new StoreException("private key sealed under key-encryption key " + id + ", which is not in " + dir);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, sealed, 1 + ID_LEN, NONCE_LEN));
            gcm.updateAAD(aad(HexFormat.of().parseHex(id), keyId));
            return gcm.doFinal(sealed, 1 + ID_LEN + NONCE_LEN, sealed.length - 1 - ID_LEN - NONCE_LEN);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new StoreException("sealed private key of " + keyId + " does not open: altered, or not this key's", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    }

    private static byte[] aad(byte[] kekId, String keyId) {
        byte[] k = keyId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + kekId.length + k.length).put(FORMAT).put(kekId).put(k).array();
    }

    /**
     * Makes a new current KEK; the old one stays as {@code keys/kek-<id>} so values sealed under it
     * still open until they are re-sealed (the caller re-seals, then may {@link #forget} it).
     *
     * @return the id of the KEK that was current before
     */
    public String rotate() {
        lock.lock();
        try {
            load(true);
            String oldId = currentId;
            Path retired = dir.resolve("kek-" + oldId);
            if (!Files.exists(retired)) writeExclusive(retired, current);
            byte[] fresh = new byte[KEY_LEN];
            RANDOM.nextBytes(fresh);
            Path tmp = dir.resolve("kek.new");
            Files.deleteIfExists(tmp);
            writeExclusive(tmp, fresh);
            Files.move(tmp, file(), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            fsyncDir();
            current = null;
            all.clear();
            load(false);
            return oldId;
        } catch (IOException e) {
            throw new StoreException("cannot rotate the key-encryption key in " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes a retired KEK file (after nothing is sealed under it any more). */
    public void forget(String id) {
        lock.lock();
        try {
            load(false);
            if (id.equals(currentId)) throw new IllegalArgumentException("the current key-encryption key cannot be forgotten");
            Files.deleteIfExists(dir.resolve("kek-" + id));
            all.remove(id);
        } catch (IOException e) {
            throw new StoreException("cannot delete " + dir.resolve("kek-" + id) + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void load(boolean create) {
        if (current != null) return;
        try {
            if (!Files.exists(file())) {
                if (!create) {
                    readRetired();
                    return;
                }
                if (!Files.isDirectory(dir)) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
                byte[] fresh = new byte[KEY_LEN];
                RANDOM.nextBytes(fresh);
                Path tmp = dir.resolve("kek.new");
                Files.deleteIfExists(tmp);
                writeExclusive(tmp, fresh);
                try {
                    Files.createLink(file(), tmp); // fails when another process made one meanwhile
                } catch (FileAlreadyExistsException raced) {
                    // use theirs
                }
                Files.delete(tmp);
                fsyncDir();
            }
            current = read(file());
            currentId = idFor(current);
            all.put(currentId, current);
            readRetired();
        } catch (IOException e) {
            throw new StoreException("cannot read or create the key-encryption key " + file() + ": " + e.getMessage(), e);
        }
    }

    private void readRetired() throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (var files = Files.newDirectoryStream(dir, "kek-*")) {
            for (Path p : files) {
                byte[] k = read(p);
                all.put(idFor(k), k);
            }
        }
    }

    private static byte[] read(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
            throw new StoreException(p + " is readable by group or others (" + PosixFilePermissions.toString(perms) + "): chmod 600 it");
        }
        byte[] k = Files.readAllBytes(p);
        if (k.length != KEY_LEN) throw new StoreException(p + " holds " + k.length + " octets, expected " + KEY_LEN);
        return k;
    }

    private static void writeExclusive(Path p, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(FILE_PERMS))) {
            ch.write(ByteBuffer.wrap(data));
            ch.force(true);
        }
    }

    private void fsyncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException ignored) {
            // nothing to sync
        }
    }

    /** The KEK id: the first 8 octets of SHA-256("sealpost kek id" || kek), hex. */
    static String idFor(byte[] kek) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("sealpost kek id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(Arrays.copyOf(md.digest(kek), ID_LEN));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
