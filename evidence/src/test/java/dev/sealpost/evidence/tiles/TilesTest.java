package dev.sealpost.evidence.tiles;

import dev.sealpost.evidence.merkle.MerkleHash;
import dev.sealpost.evidence.merkle.MerkleTree;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TilesTest {

    @Test
    void indexEncodingFollowsTheSpec() {
        assertThat(Tiles.encodeIndex(0)).isEqualTo("000");
        assertThat(Tiles.encodeIndex(5)).isEqualTo("005");
        assertThat(Tiles.encodeIndex(999)).isEqualTo("999");
        assertThat(Tiles.encodeIndex(1000)).isEqualTo("x001/000");
        assertThat(Tiles.encodeIndex(1234067)).isEqualTo("x001/x234/067");
        assertThat(new Tiles.TileRef(0, 1234067, 256).path()).isEqualTo("tile/0/x001/x234/067");
        assertThat(new Tiles.TileRef(2, 5, 17).path()).isEqualTo("tile/2/005.p/17");
        assertThat(new Tiles.TileRef(-1, 1000, 3).path()).isEqualTo("tile/entries/x001/000.p/3");
    }

    @Test
    void pathsParseOnlyInTheirCanonicalSpelling() {
        for (Tiles.TileRef r : List.of(new Tiles.TileRef(0, 1234067, 256), new Tiles.TileRef(3, 0, 1), new Tiles.TileRef(-1, 42, 255))) {
            assertThat(Tiles.parsePath(r.path())).contains(r);
        }
        for (String bad : List.of("tile/0/5", "tile/0/0005", "tile/0/x000/005", "tile/0/001/002", "tile/00/005", "tile/0/005.p/256",
                "tile/0/005.p/0", "tile/0/005.p/07", "tile/x/005", "tile/0/", "tile/0/005/", "tiles/0/005", "tile/0/x001", "tile/64/000",
                "tile/0/x999/x999/x999/x999/x999/x999/x999/000")) {
            assertThat(Tiles.parsePath(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void tilesOfATreeHoldItsHashesAndEntries() {
        MerkleTree tree = new MerkleTree();
        List<byte[]> entries = new ArrayList<>();
        int size = 256 * 256 + 300;   // two tile levels full, a third with one hash
        for (int i = 0; i < size; i++) {
            byte[] e = ("entry " + i).getBytes(StandardCharsets.UTF_8);
            entries.add(e);
            tree.appendLeaf(e);
        }
        List<Tiles.TileRef> tiles = Tiles.tilesFor(size);
        // level 0: 257 full + 1 partial (44); level 1: 1 full + 1 partial (1); level 2: 1 partial (1); entries like level 0.
        assertThat(tiles.stream().filter(t -> t.level() == 0).count()).isEqualTo(258);
        assertThat(tiles).contains(new Tiles.TileRef(0, 257, 44), new Tiles.TileRef(1, 0, 256), new Tiles.TileRef(1, 1, 1),
                new Tiles.TileRef(2, 0, 1), new Tiles.TileRef(-1, 257, 44));
        assertThat(tiles.stream().filter(t -> t.level() == 3)).isEmpty();
        for (Tiles.TileRef t : tiles) assertThat(Tiles.existsFor(t, size)).as(t.path()).isTrue();
        assertThat(Tiles.existsFor(new Tiles.TileRef(0, 257, 43), size)).isFalse();
        assertThat(Tiles.existsFor(new Tiles.TileRef(0, 257, 256), size)).isFalse();

        // Level-0 tile 3 holds the leaf hashes 768..1023.
        byte[] t0 = Tiles.hashTile(tree, new Tiles.TileRef(0, 3, 256));
        assertThat(Arrays.copyOfRange(t0, 0, 32)).isEqualTo(MerkleHash.leafHash(entries.get(768)));
        // A level-1 hash is the root of the 256 leaves it covers, recomputed from the level-0 tile.
        byte[] t1 = Tiles.hashTile(tree, new Tiles.TileRef(1, 0, 256));
        MerkleTree sub = new MerkleTree();
        for (int i = 0; i < 256; i++) sub.appendLeafHash(Arrays.copyOfRange(t0, i * 32, i * 32 + 32));
        assertThat(Arrays.copyOfRange(t1, 3 * 32, 4 * 32)).isEqualTo(sub.root());
        // The level-2 partial tile holds the root of the first 65536 leaves.
        assertThat(Tiles.hashTile(tree, new Tiles.TileRef(2, 0, 1))).isEqualTo(tree.root(65536));

        byte[] bundle = Tiles.entryBundle(i -> entries.get((int) i), new Tiles.TileRef(-1, 257, 44));
        List<byte[]> back = Tiles.readBundle(bundle).orElseThrow();
        assertThat(back).hasSize(44);
        assertThat(back.get(0)).isEqualTo(entries.get(257 * 256));
        assertThat(bundle[0]).isZero();
        assertThat(bundle[1]).isEqualTo((byte) entries.get(257 * 256).length);
        assertThat(Tiles.readBundle(Arrays.copyOf(bundle, bundle.length - 1))).isEmpty();
    }
}
