package dev.sealpost.filter.attach;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the archive lister (untrusted attachments in every format it reads: zip, 7z,
 * tar, gzip, bzip2, xz, RAR headers): it never throws, and stays within its bounds (entries,
 * octets kept per entry). Seeds: {@code src/test/resources/dev/sealpost/filter/attach/ArchiveListerFuzzTestInputs/list/}.
 */
class ArchiveListerFuzzTest {
    private static final ArchiveLister.Limits LIMITS = new ArchiveLister.Limits(3, 50, 4L << 20, 50, 64 * 1024, 8 * 1024);

    @FuzzTest(maxDuration = "60s")
    void list(byte[] data) {
        int[] handed = {0};
        ArchiveLister.Listing l = ArchiveLister.list("fuzz.bin", data, LIMITS, (e, c) -> {
            check(c.length <= LIMITS.maxEntryBytes(), "entry kept beyond the bound: %s", c.length);
            check(e.depth() >= 1 && e.depth() <= LIMITS.maxDepth(), "depth %s", e.depth());
            handed[0]++;
        });
        check(l.entries().size() <= LIMITS.maxEntries(), "entries %s", l.entries().size());
        check(handed[0] <= l.entries().size(), "more contents than entries");
        // the RAR walker alone, on the same bytes behind both signatures
        for (byte[] magic : new byte[][] {{'R', 'a', 'r', '!', 0x1A, 0x07, 0x00}, {'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00}}) {
            byte[] b = new byte[magic.length + data.length];
            System.arraycopy(magic, 0, b, 0, magic.length);
            System.arraycopy(data, 0, b, magic.length, data.length);
            check(RarHeaders.list(b, 50).entries().size() <= 50, "rar entries");
        }
    }

    static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
