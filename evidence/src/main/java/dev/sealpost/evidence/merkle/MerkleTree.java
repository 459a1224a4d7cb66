package dev.sealpost.evidence.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only Merkle tree over leaf hashes, hashed as RFC 9162 §2.1 says, that answers for any
 * prefix of itself: its root, inclusion proofs and consistency proofs.
 *
 * <p>It keeps every complete, aligned subtree hash (level 0 = the leaf hashes, level k = hashes
 * of 2^k leaves starting at a multiple of 2^k), about 64 bytes per leaf; an append adds at most
 * log2(n) node hashes, and a root or proof costs O(log n) hashes. These levels are also exactly
 * the hashes that C2SP tlog-tiles publishes. Every subtree that RFC 9162's recursive
 * definitions split a tree into is either such a complete aligned subtree or is split again, so
 * nothing else needs to be stored.
 *
 * <p>Not thread-safe: its owner (the evidence log) serialises appends and reads.
 */
public final class MerkleTree {
    private final List<HashList> levels = new ArrayList<>();

    public MerkleTree() {
        levels.add(new HashList());
    }

    /** The number of leaves. */
    public long size() {
        return levels.getFirst().size();
    }

    /** Appends a leaf by its leaf hash ({@link MerkleHash#leafHash}); returns its index. */
    public long appendLeafHash(byte[] leafHash) {
        if (leafHash.length != MerkleHash.SIZE) throw new IllegalArgumentException("a leaf hash has 32 bytes");
        long index = size();
        levels.getFirst().add(leafHash);
        long i = index;
        int level = 0;
        // A node at level k+1 is complete when its right child (an odd index at level k) arrives.
        while ((i & 1) == 1) {
            HashList below = levels.get(level);
            byte[] node = MerkleHash.nodeHash(below.get(i - 1), below.get(i));
            if (levels.size() == level + 1) levels.add(new HashList());
            levels.get(level + 1).add(node);
            i >>= 1;
            level++;
        }
        return index;
    }

    /** Appends a leaf by its data; returns its index. */
    public long appendLeaf(byte[] data) {
        return appendLeafHash(MerkleHash.leafHash(data));
    }

    /** The leaf hash at {@code index}. */
    public byte[] leafHash(long index) {
        checkRange(index, 0, size() - 1, "leaf index");
        return levels.getFirst().get(index);
    }

    /** The number of complete aligned subtree hashes at {@code level} (2^level leaves each). */
    public long levelSize(int level) {
        return level < levels.size() ? levels.get(level).size() : 0;
    }

    /** The hash of the complete subtree of 2^level leaves starting at leaf {@code index << level}. */
    public byte[] nodeHash(int level, long index) {
        checkRange(index, 0, levelSize(level) - 1, "node index");
        return levels.get(level).get(index);
    }

    /** RFC 9162 §2.1.1: MTH of the first {@code treeSize} leaves. */
    public byte[] root(long treeSize) {
        checkRange(treeSize, 0, size(), "tree size");
        return treeSize == 0 ? MerkleHash.emptyRoot() : subtree(0, treeSize);
    }

    /** The root of the whole tree. */
    public byte[] root() {
        return root(size());
    }

    /**
     * RFC 9162 §2.1.3.1: the audit path PATH(m, D[n]) of leaf {@code leafIndex} in the tree of the
     * first {@code treeSize} leaves, from the leaf's sibling up to the root's child.
     */
    public List<byte[]> inclusionProof(long leafIndex, long treeSize) {
        checkRange(treeSize, 1, size(), "tree size");
        checkRange(leafIndex, 0, treeSize - 1, "leaf index");
        List<byte[]> out = new ArrayList<>();
        path(leafIndex, 0, treeSize, out);
        return out;
    }

    /** RFC 9162 §2.1.4.1: PROOF(m, D[n]), the consistency proof from {@code oldSize} to {@code newSize}. */
    public List<byte[]> consistencyProof(long oldSize, long newSize) {
        checkRange(newSize, 1, size(), "new tree size");
        checkRange(oldSize, 1, newSize, "old tree size");
        List<byte[]> out = new ArrayList<>();
        subproof(oldSize, 0, newSize, true, out);
        return out;
    }

    // RFC 9162 §2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k,
    // PATH(m - k, D[k:n]) : MTH(D[0:k]) for m >= k; PATH(0, {d(0)}) = {}.
    private void path(long m, long start, long n, List<byte[]> out) {
        if (n == 1) return;
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, start, k, out);
            out.add(subtree(start + k, n - k));
        } else {
            path(m - k, start + k, n - k, out);
            out.add(subtree(start, k));
        }
    }

    // RFC 9162 §2.1.4.1: SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])};
    // for m < n: m <= k -> SUBPROOF(m, D[0:k], b) : MTH(D[k:n]);
    //            m > k  -> SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
    private void subproof(long m, long start, long n, boolean b, List<byte[]> out) {
        if (m == n) {
            if (!b) out.add(subtree(start, n));
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, k, b, out);
            out.add(subtree(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, out);
            out.add(subtree(start, k));
        }
    }

    /** MTH(D[start : start + n]) for n >= 1, from the stored complete subtrees. */
    private byte[] subtree(long start, long n) {
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            return levels.get(level).get(start >> level);
        }
        long k = largestPowerOfTwoBelow(n);
        return MerkleHash.nodeHash(subtree(start, k), subtree(start + k, n - k));
    }

    /** RFC 9162 §2.1.1: k, the largest power of two smaller than n (n >= 2). */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void checkRange(long v, long min, long max, String what) {
        if (v < min || v > max) throw new IllegalArgumentException(what + " " + v + " is outside " + min + ".." + max);
    }

    /** A growable array of 32-byte hashes in one byte array per 1024 hashes. */
    private static final class HashList {
        private static final int CHUNK = 1 << 10;
        private final List<byte[]> chunks = new ArrayList<>();
        private long size;

        long size() {
            return size;
        }

        void add(byte[] hash) {
            int off = (int) (size % CHUNK);
            if (off == 0) chunks.add(new byte[CHUNK * MerkleHash.SIZE]);
            System.arraycopy(hash, 0, chunks.getLast(), off * MerkleHash.SIZE, MerkleHash.SIZE);
            size++;
        }

        byte[] get(long i) {
            byte[] chunk = chunks.get((int) (i / CHUNK));
            int off = (int) (i % CHUNK) * MerkleHash.SIZE;
            return Arrays.copyOfRange(chunk, off, off + MerkleHash.SIZE);
        }
    }
}
