package dev.sealpost.evidence.tiles;

import dev.sealpost.evidence.merkle.MerkleHash;
import dev.sealpost.evidence.merkle.MerkleTree;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/** C2SP tlog-tiles layout and contents. */
public final class Tiles {
    /** Tile height: each tile level spans 8 tree levels. */
    public static final int HEIGHT = 8;
    /** Full tile width: 2^8 hashes (or entries). */
    public static final int WIDTH = 1 << HEIGHT;
    private static final Pattern LEVEL = Pattern.compile("0|[1-9][0-9]?");

    private Tiles() {}

    /** A tile: {@code level} = -1 for an entry bundle; {@code width} 1..256 (256 = full). */
    public record TileRef(int level, long index, int width) {
        public TileRef {
            if (level < -1 || level > 63 || index < 0 || width < 1 || width > WIDTH) throw new IllegalArgumentException("bad tile " + level + "/" + index + "/" + width);
        }

        public boolean entries() {
            return level == -1;
        }

        public boolean partial() {
            return width < WIDTH;
        }

        /** The path under the log's prefix. */
        public String path() {
            return "tile/" + (entries() ? "entries" : Integer.toString(level)) + "/" + encodeIndex(index) + (partial() ? ".p/" + width : "");
        }
    }

    /**
     * C2SP tlog-tiles: N as 3-digit groups, all but the last prefixed with "x":
     * 1234067 -> x001/x234/067, 5 -> 005.
     */
    public static String encodeIndex(long n) {
        if (n < 0) throw new IllegalArgumentException("negative tile index");
        String s = Long.toString(n);
        int pad = (3 - s.length() % 3) % 3;
        s = "0".repeat(pad) + s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i += 3) {
            if (i > 0) sb.append('/');
            if (i + 3 < s.length()) sb.append('x');
            sb.append(s, i, i + 3);
        }
        return sb.toString();
    }

    /** Parses a tile path ({@code tile/...}) in its one canonical spelling; empty otherwise. */
    public static Optional<TileRef> parsePath(String path) {
        if (path == null || !path.startsWith("tile/") || path.length() > 200) return Optional.empty();
        String[] parts = path.substring(5).split("/", -1);
        if (parts.length < 2) return Optional.empty();
        int level;
        if (parts[0].equals("entries")) level = -1;
        else if (LEVEL.matcher(parts[0]).matches() && Integer.parseInt(parts[0]) <= 63) level = Integer.parseInt(parts[0]);
        else return Optional.empty();
        int end = parts.length;
        int width = WIDTH;
        if (parts.length >= 3 && parts[end - 2].endsWith(".p")) {
            String w = parts[end - 1];
            if (!w.matches("[1-9][0-9]{0,2}") || Integer.parseInt(w) >= WIDTH) return Optional.empty();
            width = Integer.parseInt(w);
            parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
            end--;
        }
        StringBuilder digits = new StringBuilder();
        for (int i = 1; i < end; i++) {
            String p = parts[i];
            boolean last = i == end - 1;
            if (last ? !p.matches("[0-9]{3}") : !p.matches("x[0-9]{3}")) return Optional.empty();
            digits.append(last ? p : p.substring(1));
        }
        if (digits.length() > 18) return Optional.empty();
        long index = Long.parseLong(digits.toString());
        TileRef ref = new TileRef(level, index, width);
        return ref.path().equals(path) ? Optional.of(ref) : Optional.empty();
    }

    /** Every tile (hash tiles of every level, and entry bundles) that a tree of {@code size} leaves publishes. */
    public static List<TileRef> tilesFor(long size) {
        List<TileRef> out = new ArrayList<>();
        for (int level = 0; ; level++) {
            long hashes = hashesAtTileLevel(size, level);
            if (hashes == 0) break;
            addRow(out, level, hashes);
        }
        addRow(out, -1, size);
        return out;
    }

    private static void addRow(List<TileRef> out, int level, long count) {
        for (long n = 0; n < count / WIDTH; n++) out.add(new TileRef(level, n, WIDTH));
        if (count % WIDTH != 0) out.add(new TileRef(level, count / WIDTH, (int) (count % WIDTH)));
    }

    /** The number of complete hashes at tree level 8·L in a tree of {@code size} leaves. */
    static long hashesAtTileLevel(long size, int tileLevel) {
        int shift = HEIGHT * tileLevel;
        return shift >= 63 ? 0 : size >> shift;
    }

    /**
     * Whether {@code ref} is a tile of the tree of {@code size} leaves: full tiles below the edge, or
     * the one partial tile at it with exactly its width.
     */
    public static boolean existsFor(TileRef ref, long size) {
        long count = ref.entries() ? size : hashesAtTileLevel(size, ref.level());
        long full = count / WIDTH;
        if (ref.index() < full) return !ref.partial();
        return ref.index() == full && ref.partial() && ref.width() == count % WIDTH;
    }

    /** A hash tile's contents: the {@code width} hashes of tree level 8·L from index N·256, concatenated. */
    public static byte[] hashTile(MerkleTree tree, TileRef ref) {
        if (ref.entries()) throw new IllegalArgumentException("an entry bundle is not a hash tile");
        int treeLevel = HEIGHT * ref.level();
        long first = ref.index() * WIDTH;
        byte[] out = new byte[ref.width() * MerkleHash.SIZE];
        for (int i = 0; i < ref.width(); i++) {
            System.arraycopy(tree.nodeHash(treeLevel, first + i), 0, out, i * MerkleHash.SIZE, MerkleHash.SIZE);
        }
        return out;
    }

    /** An entry bundle: entries N·256 .. +width, each as a big-endian uint16 length and the bytes. */
    public static byte[] entryBundle(LongFunction<byte[]> entry, TileRef ref) {
        if (!ref.entries()) throw new IllegalArgumentException("not an entry bundle");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long first = ref.index() * WIDTH;
        for (int i = 0; i < ref.width(); i++) {
            byte[] e = entry.apply(first + i);
            if (e.length > 0xffff) throw new IllegalArgumentException("an entry longer than 65535 bytes");
            out.write(e.length >> 8);
            out.write(e.length & 0xff);
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /** Splits an entry bundle back into entries; empty when malformed. */
    public static Optional<List<byte[]>> readBundle(byte[] bundle) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < bundle.length) {
            if (i + 2 > bundle.length || out.size() >= WIDTH) return Optional.empty();
            int n = ((bundle[i] & 0xff) << 8) | (bundle[i + 1] & 0xff);
            i += 2;
            if (i + n > bundle.length) return Optional.empty();
            out.add(java.util.Arrays.copyOfRange(bundle, i, i + n));
            i += n;
        }
        return Optional.of(out);
    }
}
