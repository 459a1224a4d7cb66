package dev.sealpost.filter.attach;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the file names of a RAR archive (versions 4 and 5) by walking its block headers, without
 * decompressing anything (there is no RAR decoder under a licence we can use). Written from the
 * published format descriptions (RAR 4 "technote.txt" and the RAR 5 archive format page of
 * rarlab.com). Bounded by the data and by {@code maxEntries}; never throws.
 */
final class RarHeaders {
    private RarHeaders() {}

    record RarEntry(String name, long size, boolean encrypted) {}

    /** @param headersEncrypted true when the archive's headers are encrypted (names hidden) */
    record RarListing(List<RarEntry> entries, boolean headersEncrypted, boolean damaged) {}

    static RarListing list(byte[] b, int maxEntries) {
        try {
            if (FileTypes.starts(b, 'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00)) return rar5(b, maxEntries);
            if (FileTypes.starts(b, 'R', 'a', 'r', '!', 0x1A, 0x07, 0x00)) return rar4(b, maxEntries);
        } catch (RuntimeException e) {
            // an index beyond the data in a damaged header: what was listed so far stands
        }
        return new RarListing(List.of(), false, true);
    }

    private static RarListing rar4(byte[] b, int maxEntries) {
        List<RarEntry> out = new ArrayList<>();
        long pos = 7;
        for (int guard = 0; guard < maxEntries * 4 + 16; guard++) {
            if (pos + 7 > b.length) return new RarListing(out, false, pos != b.length);
            int p = (int) pos;
            int type = b[p + 2] & 0xFF;
            int flags = u16(b, p + 3);
            int headSize = u16(b, p + 5);
            if (headSize < 7 || p + headSize > b.length) return new RarListing(out, false, true);
            long add = (flags & 0x8000) != 0 && p + 11 <= b.length ? u32(b, p + 7) : 0;
            if (type == 0x73 && (flags & 0x0080) != 0) return new RarListing(out, true, false); // MHD_PASSWORD
            if (type == 0x74 && headSize >= 32) { // FILE_HEAD
                long unp = u32(b, p + 11);
                int nameSize = u16(b, p + 26);
                int nameAt = p + 32;
                if ((flags & 0x0100) != 0) { // LHD_LARGE: high 32 bits of the sizes
                    add |= u32(b, p + 32) << 32;
                    unp |= u32(b, p + 36) << 32;
                    nameAt = p + 40;
                }
                nameSize = Math.max(0, Math.min(nameSize, p + headSize - nameAt));
                String name = name4(b, nameAt, nameSize, (flags & 0x0200) != 0);
                out.add(new RarEntry(name, unp, (flags & 0x0004) != 0));
                if (out.size() >= maxEntries) return new RarListing(out, false, false);
            } else if (type == 0x7B) { // ENDARC_HEAD
                return new RarListing(out, false, false);
            }
            pos = pos + headSize + add;
        }
        return new RarListing(out, false, true);
    }

    /**
     * A RAR 4 name: with LHD_UNICODE the field holds an ASCII name, a zero byte and a compressed
     * Unicode form; we keep the ASCII form (the extension is in it), or the whole field as UTF-8
     * when there is no zero byte.
     */
    private static String name4(byte[] b, int at, int len, boolean unicode) {
        int end = at + len;
        if (unicode) {
            for (int i = at; i < end; i++) {
                if (b[i] == 0) return new String(b, at, i - at, StandardCharsets.ISO_8859_1);
            }
            return new String(b, at, len, StandardCharsets.UTF_8);
        }
        return new String(b, at, len, StandardCharsets.ISO_8859_1);
    }

    private static RarListing rar5(byte[] b, int maxEntries) {
        List<RarEntry> out = new ArrayList<>();
        long pos = 8;
        for (int guard = 0; guard < maxEntries * 4 + 16; guard++) {
            if (pos + 6 > b.length) return new RarListing(out, false, pos != b.length);
            long[] r = {pos + 4}; // after the header CRC32
            long headSize = vint(b, r);
            long headStart = r[0];
            if (headSize < 2 || headStart + headSize > b.length) return new RarListing(out, false, true);
            long type = vint(b, r);
            long flags = vint(b, r);
            long extraSize = (flags & 1) != 0 ? vint(b, r) : 0;
            long dataSize = (flags & 2) != 0 ? vint(b, r) : 0;
            if (type == 4) return new RarListing(out, true, false); // archive encryption header: names hidden
            if (type == 2) { // file header
                long fileFlags = vint(b, r);
                long unpacked = vint(b, r);
                vint(b, r); // attributes
                if ((fileFlags & 2) != 0) r[0] += 4; // mtime
                if ((fileFlags & 4) != 0) r[0] += 4; // data CRC32
                vint(b, r); // compression information
                vint(b, r); // host OS
                long nameLen = vint(b, r);
                long headEnd = headStart + headSize;
                if (nameLen < 0 || r[0] + nameLen > headEnd) return new RarListing(out, false, true);
                String name = new String(b, (int) r[0], (int) nameLen, StandardCharsets.UTF_8);
                boolean encrypted = extraHasEncryption(b, headEnd - extraSize, headEnd);
                out.add(new RarEntry(name, (fileFlags & 8) != 0 ? -1 : unpacked, encrypted));
                if (out.size() >= maxEntries) return new RarListing(out, false, false);
            } else if (type == 5) {
                return new RarListing(out, false, false);
            }
            long next = headStart + headSize + dataSize;
            if (next <= pos) return new RarListing(out, false, true);
            pos = next;
        }
        return new RarListing(out, false, true);
    }

    /** The extra area of a RAR 5 file header: records of (size, type, data); type 1 is file encryption. */
    private static boolean extraHasEncryption(byte[] b, long from, long to) {
        long[] r = {from};
        for (int i = 0; i < 64 && r[0] < to; i++) {
            long size = vint(b, r);
            long recStart = r[0];
            if (size <= 0 || recStart + size > to) return false;
            if (vint(b, r) == 1) return true;
            r[0] = recStart + size;
        }
        return false;
    }

    /** RAR 5 variable-length integer: 7 bits a byte, low first, high bit = more; at most 10 bytes. */
    private static long vint(byte[] b, long[] pos) {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int p = (int) pos[0]++;
            if (p >= b.length) throw new IndexOutOfBoundsException();
            int c = b[p] & 0xFF;
            if (shift < 63) v |= (long) (c & 0x7F) << shift;
            if ((c & 0x80) == 0) return v;
        }
        return v;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
