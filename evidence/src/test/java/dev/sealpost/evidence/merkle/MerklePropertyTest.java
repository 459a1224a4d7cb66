package dev.sealpost.evidence.merkle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties over random trees (fixed seeds, so a failure repeats): the cached-subtree roots equal
 * a direct recursive MTH; every generated inclusion and consistency proof verifies; any one flipped
 * bit in a proof hash, a leaf hash or a root, or a wrong leaf index, makes it fail. (A wrong new
 * size alone is not always caught by the RFC 9162 algorithm: the signed checkpoint binds size to root.)
 */
class MerklePropertyTest {

    @Test
    void rootsEqualTheDirectDefinition() {
        Random rnd = new Random(17);
        List<byte[]> leaves = new ArrayList<>();
        MerkleTree tree = new MerkleTree();
        for (int n = 1; n <= 300; n++) {
            byte[] d = new byte[rnd.nextInt(20)];
            rnd.nextBytes(d);
            leaves.add(d);
            tree.appendLeaf(d);
            assertThat(tree.root()).as("size %d", n).isEqualTo(mth(leaves, 0, n));
        }
        for (int n = 0; n <= 300; n += 7) assertThat(tree.root(n)).isEqualTo(mth(leaves, 0, n));
    }

    @Test
    void everyInclusionProofVerifiesAndEveryFlippedBitFails() {
        Random rnd = new Random(9162);
        MerkleTree tree = randomTree(rnd, 200);
        int checked = 0;
        for (long n = 1; n <= tree.size(); n++) {
            byte[] root = tree.root(n);
            for (long m = 0; m < n; m++) {
                byte[] leaf = tree.leafHash(m);
                List<byte[]> proof = tree.inclusionProof(m, n);
                assertThat(MerkleProofs.verifyInclusion(m, n, leaf, proof, root).valid()).as("leaf %d of %d", m, n).isTrue();
                checked++;
                if (rnd.nextInt(10) != 0) continue;
                assertThat(MerkleProofs.verifyInclusion(m, n, flip(leaf, rnd), proof, root).valid()).isFalse();
                assertThat(MerkleProofs.verifyInclusion(m, n, leaf, proof, flip(root, rnd)).valid()).isFalse();
                if (!proof.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    int i = rnd.nextInt(bad.size());
                    bad.set(i, flip(bad.get(i), rnd));
                    assertThat(MerkleProofs.verifyInclusion(m, n, leaf, bad, root).valid()).isFalse();
                    assertThat(MerkleProofs.verifyInclusion(m, n, leaf, proof.subList(0, proof.size() - 1), root).valid()).isFalse();
                }
                List<byte[]> longer = new ArrayList<>(proof);
                longer.add(root);
                assertThat(MerkleProofs.verifyInclusion(m, n, leaf, longer, root).valid()).isFalse();
                if (n > 1) assertThat(MerkleProofs.verifyInclusion((m + 1) % n, n, leaf, proof, root).valid()).isFalse();
            }
        }
        assertThat(checked).isEqualTo(200 * 201 / 2);
    }

    @Test
    void everyConsistencyProofVerifiesAndEveryFlippedBitFails() {
        Random rnd = new Random(8785);
        MerkleTree tree = randomTree(rnd, 130);
        int checked = 0;
        for (long n = 1; n <= tree.size(); n++) {
            byte[] root2 = tree.root(n);
            for (long m = 1; m <= n; m++) {
                byte[] root1 = tree.root(m);
                List<byte[]> proof = tree.consistencyProof(m, n);
                assertThat(MerkleProofs.verifyConsistency(m, n, root1, root2, proof).valid()).as("%d -> %d", m, n).isTrue();
                checked++;
                if (m == n || rnd.nextInt(8) != 0) continue;
                assertThat(MerkleProofs.verifyConsistency(m, n, flip(root1, rnd), root2, proof).valid()).isFalse();
                assertThat(MerkleProofs.verifyConsistency(m, n, root1, flip(root2, rnd), proof).valid()).isFalse();
                List<byte[]> bad = new ArrayList<>(proof);
                int i = rnd.nextInt(bad.size());
                bad.set(i, flip(bad.get(i), rnd));
                assertThat(MerkleProofs.verifyConsistency(m, n, root1, root2, bad).valid()).isFalse();
                assertThat(MerkleProofs.verifyConsistency(m, n, root1, root2, List.of()).valid()).isFalse();
            }
        }
        assertThat(checked).isEqualTo(130 * 131 / 2);
    }

    @Test
    void aProofOfAnotherTreeDoesNotVerify() {
        Random rnd = new Random(3);
        MerkleTree a = randomTree(rnd, 50);
        MerkleTree b = randomTree(rnd, 50);
        assertThat(MerkleProofs.verifyInclusion(7, 50, a.leafHash(7), a.inclusionProof(7, 50), b.root()).valid()).isFalse();
        assertThat(MerkleProofs.verifyConsistency(20, 50, a.root(20), b.root(), b.consistencyProof(20, 50)).valid()).isFalse();
        Verification v = MerkleProofs.verifyInclusion(7, 50, a.leafHash(7), a.inclusionProof(7, 50), b.root());
        assertThat(v).isInstanceOf(Verification.Invalid.class);
        assertThat(((Verification.Invalid) v).reason()).contains("another root");
    }

    static MerkleTree randomTree(Random rnd, int n) {
        MerkleTree t = new MerkleTree();
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[1 + rnd.nextInt(40)];
            rnd.nextBytes(d);
            t.appendLeaf(d);
        }
        return t;
    }

    static byte[] flip(byte[] h, Random rnd) {
        byte[] c = h.clone();
        c[rnd.nextInt(c.length)] ^= (byte) (1 << rnd.nextInt(8));
        return c;
    }

    /** RFC 9162 §2.1.1 MTH written straight from the definition, without the tree's cache. */
    static byte[] mth(List<byte[]> d, int start, int n) {
        if (n == 0) return MerkleHash.emptyRoot();
        if (n == 1) return MerkleHash.leafHash(d.get(start));
        int k = Integer.highestOneBit(n - 1);
        return MerkleHash.nodeHash(mth(d, start, k), mth(d, start + k, n - k));
    }

    @Test
    void flipChangesTheHash() {
        byte[] h = MerkleHash.leafHash(new byte[] {1});
        assertThat(Arrays.equals(flip(h, new Random(1)), h)).isFalse();
    }
}
