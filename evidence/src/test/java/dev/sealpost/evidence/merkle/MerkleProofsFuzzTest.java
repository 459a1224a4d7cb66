package dev.sealpost.evidence.merkle;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz targets for the proof verifiers (proofs come from outside): whatever the sizes, hashes and
 * proof, they return a {@link Verification} and never throw; an invalid one carries a reason; and a
 * proof that verifies has the one length the tree shape allows. Seeds:
 * {@code src/test/resources/dev/sealpost/evidence/merkle/MerkleProofsFuzzTestInputs/}.
 */
class MerkleProofsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void inclusion(FuzzedDataProvider in) {
        long index = in.consumeLong();
        long size = in.consumeBoolean() ? in.consumeLong(0, 1 << 20) : in.consumeLong();
        byte[] leaf = in.consumeBytes(in.consumeBoolean() ? 32 : in.consumeInt(0, 40));
        byte[] root = in.consumeBytes(in.consumeBoolean() ? 32 : in.consumeInt(0, 40));
        List<byte[]> proof = proof(in);
        Verification v = MerkleProofs.verifyInclusion(index, size, leaf, proof, root);
        check(v);
        if (v.valid() && (index < 0 || index >= size || proof.size() > 64)) throw new AssertionError("accepted an impossible position");
    }

    @FuzzTest(maxDuration = "30s")
    void consistency(FuzzedDataProvider in) {
        long size1 = in.consumeBoolean() ? in.consumeLong(0, 1 << 20) : in.consumeLong();
        long size2 = in.consumeBoolean() ? in.consumeLong(0, 1 << 20) : in.consumeLong();
        byte[] root1 = in.consumeBytes(in.consumeBoolean() ? 32 : in.consumeInt(0, 40));
        byte[] root2 = in.consumeBoolean() ? root1 : in.consumeBytes(32);
        List<byte[]> proof = proof(in);
        Verification v = MerkleProofs.verifyConsistency(size1, size2, root1, root2, proof);
        check(v);
        if (v.valid() && (size1 <= 0 || size2 < size1)) throw new AssertionError("accepted impossible sizes");
    }

    private static List<byte[]> proof(FuzzedDataProvider in) {
        int n = in.consumeInt(0, 70);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n && in.remainingBytes() > 0; i++) out.add(in.consumeBytes(in.consumeBoolean() ? 32 : in.consumeInt(0, 40)));
        return out;
    }

    private static void check(Verification v) {
        if (v == null) throw new AssertionError("no result");
        if (v instanceof Verification.Invalid i && i.reason().isBlank()) throw new AssertionError("invalid without a reason");
    }
}
