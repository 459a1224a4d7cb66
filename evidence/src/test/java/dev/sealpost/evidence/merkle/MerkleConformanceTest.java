package dev.sealpost.evidence.merkle;

import dev.sealpost.evidence.json.Json;
import dev.sealpost.evidence.json.JsonParser;
import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared RFC 9162 probes ({@code shared/conformance/merkle-rfc9162}, see its SOURCE.md): 65
 * inclusion and 57 consistency probes, each must give its {@code wantErr} outcome; and the root of
 * every prefix tree of the 8 reference leaves. Counts are asserted exactly.
 */
class MerkleConformanceTest {
    private static final Path SUITE = SharedSuite.path("merkle-rfc9162");

    @Test
    void inclusionProbesGiveTheirOutcome() throws IOException {
        List<String> wrong = new ArrayList<>();
        int probes = 0, positives = 0;
        for (Path f : probes("inclusion")) {
            Map<String, Object> p = read(f);
            Verification v = MerkleProofs.verifyInclusion(num(p, "leafIdx"), num(p, "treeSize"),
                    b64(p.get("leafHash")), proof(p), b64(p.get("root")));
            boolean wantErr = (Boolean) p.get("wantErr");
            probes++;
            if (!wantErr) positives++;
            if (v.valid() == wantErr) wrong.add(SUITE.relativize(f) + " (" + p.get("desc") + "): " + v);
        }
        assertThat(wrong).isEmpty();
        assertThat(probes).isEqualTo(65);
        assertThat(positives).isEqualTo(4);
    }

    @Test
    void consistencyProbesGiveTheirOutcome() throws IOException {
        List<String> wrong = new ArrayList<>();
        int probes = 0, positives = 0;
        for (Path f : probes("consistency")) {
            Map<String, Object> p = read(f);
            Verification v = MerkleProofs.verifyConsistency(num(p, "size1"), num(p, "size2"),
                    b64(p.get("root1")), b64(p.get("root2")), proof(p));
            boolean wantErr = (Boolean) p.get("wantErr");
            probes++;
            if (!wantErr) positives++;
            if (v.valid() == wantErr) wrong.add(SUITE.relativize(f) + " (" + p.get("desc") + "): " + v);
        }
        assertThat(wrong).isEmpty();
        assertThat(probes).isEqualTo(57);
        assertThat(positives).isEqualTo(4);
    }

    @Test
    void rootOfEveryPrefixTreeMatchesTheVectors() throws IOException {
        Map<String, Object> tv = read(SUITE.resolve("tree-vectors.json"));
        @SuppressWarnings("unchecked") List<Object> leaves = (List<Object>) tv.get("leaf_inputs_hex");
        @SuppressWarnings("unchecked") List<Object> roots = (List<Object>) tv.get("root_hash_by_tree_size_hex");
        assertThat(leaves).hasSize(8);
        assertThat(roots).hasSize(9);
        MerkleTree tree = new MerkleTree();
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(tree.root())).isEqualTo(roots.getFirst());
        for (int i = 0; i < leaves.size(); i++) {
            tree.appendLeaf(hex.parseHex((String) leaves.get(i)));
            assertThat(hex.formatHex(tree.root())).as("root of size %d", i + 1).isEqualTo(roots.get(i + 1));
        }
        for (int n = 0; n <= 8; n++) assertThat(hex.formatHex(tree.root(n))).isEqualTo(roots.get(n));
    }

    private static List<Path> probes(String kind) throws IOException {
        try (Stream<Path> s = Files.walk(SUITE.resolve(kind))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path f) throws IOException {
        return (Map<String, Object>) JsonParser.parseOrThrow(Files.readString(f));
    }

    /** Go's uint64 fields: a value above Long.MAX_VALUE (2^64-1 for "0 - 1") saturates, still beyond every tree. */
    private static long num(Map<String, Object> p, String k) {
        Object v = p.get(k);
        return v instanceof Long l ? l : Long.MAX_VALUE;
    }

    private static byte[] b64(Object v) {
        return v == null || v == Json.NULL ? new byte[0] : Base64.getDecoder().decode((String) v);
    }

    private static List<byte[]> proof(Map<String, Object> p) {
        Object v = p.get("proof");
        if (v == null || v == Json.NULL) return List.of();
        List<byte[]> out = new ArrayList<>();
        for (Object o : (List<?>) v) out.add(b64(o));
        return out;
    }
}
