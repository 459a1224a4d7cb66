package dev.sealpost.evidence.merkle;

import java.security.MessageDigest;
import java.util.List;

/**
 * Verification of inclusion and consistency proofs by the algorithms of RFC 9162 §2.1.3.2 and
 * §2.1.4.2. Input is untrusted: every outcome is a {@link Verification}, never an exception.
 *
 * <p>Beyond the RFC's steps, as the transparency-dev verifiers (and the shared conformance probes)
 * do: every hash that enters a computation must be exactly 32 bytes; a consistency proof needs
 * {@code 0 < size1 <= size2}; and equal sizes are consistent only with an empty proof and
 * byte-equal roots.
 */
public final class MerkleProofs {
    /** No proof in a tree of at most 2^63 leaves has more steps than this (+1 for the prepended root). */
    static final int MAX_PROOF = 65;

    private MerkleProofs() {}

    /** RFC 9162 §2.1.3.2: whether {@code proof} shows leaf {@code leafIndex} with {@code leafHash} in the tree {@code root} of {@code treeSize} leaves. */
    public static Verification verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (treeSize <= 0) return Verification.invalid("tree size " + treeSize + " holds no leaf");
        // RFC 9162 §2.1.3.2 step 1: leaf_index >= tree_size fails.
        if (leafIndex < 0 || leafIndex >= treeSize) return Verification.invalid("leaf index " + leafIndex + " is not below tree size " + treeSize);
        String bad = checkHashes(leafHash, root, proof);
        if (bad != null) return Verification.invalid(bad);
        byte[] computed = rootFromInclusion(leafIndex, treeSize, leafHash, proof);
        if (computed == null) return Verification.invalid("the proof has " + proof.size() + " hashes, not the number a tree of " + treeSize + " needs for leaf " + leafIndex);
        if (!MessageDigest.isEqual(computed, root)) return Verification.invalid("the proof leads to another root");
        return Verification.VALID;
    }

    /**
     * RFC 9162 §2.1.3.2 steps 2-5: the root that an inclusion proof leads to, or null when the
     * proof has the wrong number of hashes for the position. Arguments already checked.
     */
    static byte[] rootFromInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof) {
        long fn = leafIndex;            // step 2
        long sn = treeSize - 1;
        byte[] r = leafHash;            // step 3
        for (byte[] p : proof) {        // step 4
            if (sn == 0) return null;   // 4a: more hashes than levels
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.nodeHash(p, r);   // 4b
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = MerkleHash.nodeHash(r, p);   // 4c (otherwise)
            }
            fn >>= 1;                    // 4d
            sn >>= 1;
        }
        return sn == 0 ? r : null;       // step 5: sn must be 0
    }

    /** RFC 9162 §2.1.4.2: whether {@code proof} shows the tree {@code root1} of {@code size1} leaves is a prefix of the tree {@code root2} of {@code size2}. */
    public static Verification verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 <= 0) return Verification.invalid("old tree size " + size1 + " must be above 0");
        if (size2 < size1) return Verification.invalid("new tree size " + size2 + " is smaller than old tree size " + size1);
        if (proof.size() > MAX_PROOF) return Verification.invalid("a proof of " + proof.size() + " hashes is longer than any tree needs");
        if (size1 == size2) {
            if (!proof.isEmpty()) return Verification.invalid("equal sizes need an empty proof");
            return MessageDigest.isEqual(root1, root2) ? Verification.VALID : Verification.invalid("equal sizes but different roots");
        }
        String bad = checkHashes(root1, root2, proof);
        if (bad != null) return Verification.invalid(bad);
        // RFC 9162 §2.1.4.2 step 1: an empty consistency_path fails.
        if (proof.isEmpty()) return Verification.invalid("an empty proof between different sizes");
        byte[][] path;
        // Step 2: if first is an exact power of 2, prepend first_hash.
        if (Long.bitCount(size1) == 1) {
            path = new byte[proof.size() + 1][];
            path[0] = root1;
            for (int i = 0; i < proof.size(); i++) path[i + 1] = proof.get(i);
        } else {
            path = proof.toArray(new byte[0][]);
        }
        long fn = size1 - 1;             // step 3
        long sn = size2 - 1;
        while ((fn & 1) == 1) {          // step 4
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path[0];             // step 5
        byte[] sr = path[0];
        for (int i = 1; i < path.length; i++) {   // step 6
            byte[] c = path[i];
            if (sn == 0) return Verification.invalid("the proof has more hashes than the trees need");   // 6a
            if ((fn & 1) == 1 || fn == sn) {      // 6b
                fr = MerkleHash.nodeHash(c, fr);
                sr = MerkleHash.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = MerkleHash.nodeHash(sr, c);  // 6c (otherwise)
            }
            fn >>= 1;                             // 6d
            sn >>= 1;
        }
        // Step 7: fr == first_hash, sr == second_hash, sn == 0.
        if (sn != 0) return Verification.invalid("the proof has fewer hashes than the trees need");
        if (!MessageDigest.isEqual(fr, root1)) return Verification.invalid("the proof does not lead to the old root");
        if (!MessageDigest.isEqual(sr, root2)) return Verification.invalid("the proof does not lead to the new root");
        return Verification.VALID;
    }

    private static String checkHashes(byte[] a, byte[] b, List<byte[]> proof) {
        if (proof.size() > MAX_PROOF) return "a proof of " + proof.size() + " hashes is longer than any tree needs";
        if (a == null || a.length != MerkleHash.SIZE) return "a hash of " + (a == null ? "no" : a.length) + " bytes, not 32";
        if (b == null || b.length != MerkleHash.SIZE) return "a hash of " + (b == null ? "no" : b.length) + " bytes, not 32";
        for (int i = 0; i < proof.size(); i++) {
            byte[] p = proof.get(i);
            if (p == null || p.length != MerkleHash.SIZE) return "proof hash " + i + " has " + (p == null ? "no" : p.length) + " bytes, not 32";
        }
        return null;
    }
}
