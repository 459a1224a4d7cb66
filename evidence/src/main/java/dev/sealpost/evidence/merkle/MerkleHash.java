package dev.sealpost.evidence.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The hash functions of RFC 9162 §2.1.1 with SHA-256 (the log's only hash). */
public final class MerkleHash {
    /** Every hash in the tree has this many bytes. */
    public static final int SIZE = 32;

    private static final byte[] EMPTY = sha256().digest();

    private MerkleHash() {}

    /** RFC 9162 §2.1.1: MTH({}) = HASH(), the hash of the empty string. */
    public static byte[] emptyRoot() {
        return EMPTY.clone();
    }

    /** RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0)). */
    public static byte[] leafHash(byte[] data) {
        MessageDigest md = sha256();
        md.update((byte) 0x00);
        md.update(data);
        return md.digest();
    }

    /** RFC 9162 §2.1.1: an interior node, HASH(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest md = sha256();
        md.update((byte) 0x01);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /** A plain SHA-256 of {@code data} (record hashes, time-stamp imprints). */
    public static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
