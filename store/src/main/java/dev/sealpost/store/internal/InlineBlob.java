package dev.sealpost.store.internal;

import dev.sealpost.store.BlobRef;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.Deflater;

/**
 * One small blob ready to be inserted into the {@code blobs} table: its content-addressed id and
 * its stored form, which has the same layout as a blob file (a format byte, then the raw or
 * deflated content), so {@link FsBlobStore#decoded} reads both.
 *
 * @param id      lowercase hex SHA-256 of the original content
 * @param size    original length in bytes
 * @param encoded format byte and stored bytes
 */
record InlineBlob(String id, long size, byte[] encoded) {

    BlobRef ref() {
        return new BlobRef(id, size);
    }

    /** Input per step of {@link #deflate}: the strategy is chosen again after each. */
    static final int SEGMENT = 16 * 1024;
    /** A segment that deflates to more than this share of its size is entropy-coded text (base64). */
    static final int HUFFMAN_ABOVE_PERCENT = 70;

    /**
     * Hashes {@code content[0, len)} and encodes it: deflated (BEST_SPEED, as the blob files) when
     * longer than {@link FsBlobWriter#COMPRESS_THRESHOLD} and at least
     * {@link FsBlobWriter#MIN_SAVING_PERCENT}% smaller, raw otherwise.
     */
    static InlineBlob encode(byte[] content, int len) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        sha256.update(content, 0, len);
        String id = HexFormat.of().formatHex(sha256.digest());
        if (len > FsBlobWriter.COMPRESS_THRESHOLD) {
            // keep the deflated form only when it saves MIN_SAVING_PERCENT: stop once it cannot
            byte[] deflated = deflate(content, len, (int) ((long) len * (100 - FsBlobWriter.MIN_SAVING_PERCENT) / 100));
            if (deflated != null) return new InlineBlob(id, len, deflated);
        }
        byte[] raw = new byte[1 + len];
        raw[0] = FsBlobStore.FORMAT_RAW;
        System.arraycopy(content, 0, raw, 1, len);
        return new InlineBlob(id, len, raw);
    }

    /**
     * The format byte and the deflated form of {@code content[0, len)}, or null when that would be
     * longer than {@code limit} bytes. Adaptive: a 16 KiB segment that LZ77 shrinks by less than
     * 30% (base64 attachments, already compressed data) has no repeats worth searching for, so the
     * next segment is Huffman-coded only ({@link Deflater#HUFFMAN_ONLY}, which gives base64 the same
     * ~25% saving at a fraction of the CPU), until a segment compresses well again. Each segment
     * ends with a sync flush (so its ratio is known), which costs a few bytes. The result is an
     * ordinary zlib stream: readers are unchanged.
     */
    static byte[] deflate(byte[] content, int len, int limit) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            byte[] out = new byte[1 + limit];
            out[0] = FsBlobStore.FORMAT_DEFLATE;
            int n = 1;
            boolean huffman = false;
            for (int off = 0; off < len; ) {
                int k = Math.min(SEGMENT, len - off);
                d.setInput(content, off, k);
                off += k;
                int start = n;
                if (off == len) d.finish();
                while (true) {
                    int room = out.length - n;
                    if (room == 0) return null; // over the limit: not worth it
                    int w = off == len ? d.deflate(out, n, room) : d.deflate(out, n, room, Deflater.SYNC_FLUSH);
                    n += w;
                    if (off == len ? d.finished() : w < room && d.needsInput()) break;
                }
                if (off < len) {
                    boolean poor = (long) (n - start) * 100 > (long) k * HUFFMAN_ABOVE_PERCENT;
                    if (poor != huffman) {
                        huffman = poor;
                        d.setStrategy(huffman ? Deflater.HUFFMAN_ONLY : Deflater.DEFAULT_STRATEGY);
                        // apply it now, with no input pending, not to the next segment's first block
                        d.setInput(content, off, 0);
                        if (n < out.length) n += d.deflate(out, n, out.length - n, Deflater.NO_FLUSH);
                    }
                }
            }
            return Arrays.copyOf(out, n);
        } finally {
            d.end();
        }
    }
}
