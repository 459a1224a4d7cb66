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
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try {
                deflater.setInput(content, 0, len);
                deflater.finish();
                // keep the deflated form only when it saves MIN_SAVING_PERCENT: stop once it cannot
                int limit = (int) ((long) len * (100 - FsBlobWriter.MIN_SAVING_PERCENT) / 100);
                byte[] out = new byte[1 + limit];
                out[0] = FsBlobStore.FORMAT_DEFLATE;
                int n = 1;
                while (!deflater.finished() && n < out.length) n += deflater.deflate(out, n, out.length - n);
                if (deflater.finished()) return new InlineBlob(id, len, Arrays.copyOf(out, n));
            } finally {
                deflater.end();
            }
        }
        byte[] raw = new byte[1 + len];
        raw[0] = FsBlobStore.FORMAT_RAW;
        System.arraycopy(content, 0, raw, 1, len);
        return new InlineBlob(id, len, raw);
    }
}
