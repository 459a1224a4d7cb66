package dev.sealpost.filter.attach;

import org.apache.commons.compress.archivers.sevenz.SevenZOutputFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounds with nested and oversized archives made here, and each supported format. */
class ArchiveListerTest {
    private static final byte[] EXE = "MZ fake".getBytes(StandardCharsets.US_ASCII);
    private static final ArchiveLister.Limits SMALL = new ArchiveLister.Limits(3, 20, 8L << 20, 100, 1 << 20, 16 * 1024);

    @Test
    void zipBombStoppedByRatioWithBoundedMemory() {
        byte[] bomb = Archives.zeros("zeros.bin", 64L << 20); // 64 MiB of zeros, about 64 KiB zipped
        assertThat(bomb.length).isLessThan(256 * 1024);
        AtomicInteger largest = new AtomicInteger();
        ArchiveLister.Listing l = ArchiveLister.list("bomb.zip", bomb, SMALL, (e, c) -> largest.accumulateAndGet(c.length, Math::max));
        assertThat(l.limit()).isEqualTo("ratio");
        assertThat(largest.get()).isZero(); // stopped before the entry was handed on
    }

    @Test
    void oversizedArchiveStoppedBySize() {
        byte[] big = Archives.zeros("zeros.bin", 12L << 20);
        ArchiveLister.Limits noRatio = new ArchiveLister.Limits(3, 20, 8L << 20, 1_000_000, 1 << 20, 16 * 1024);
        assertThat(ArchiveLister.list("big.zip", big, noRatio, null).limit()).isEqualTo("size");
        // within the bounds, an entry is kept only up to maxEntryBytes
        ArchiveLister.Limits roomy = new ArchiveLister.Limits(3, 20, 16L << 20, 1_000_000, 1 << 20, 16 * 1024);
        AtomicInteger kept = new AtomicInteger();
        ArchiveLister.Listing l = ArchiveLister.list("big.zip", big, roomy, (e, c) -> kept.set(c.length));
        assertThat(l.limit()).isNull();
        assertThat(kept.get()).isEqualTo(1 << 20);
        assertThat(l.entries()).extracting(ArchiveLister.Entry::name).containsExactly("zeros.bin");
    }

    @Test
    void nestingIsBoundedByDepth() {
        byte[] level = Archives.zip("payload.exe", EXE);
        for (int i = 0; i < 4; i++) level = Archives.zip("level" + i + ".zip", level);
        // the attachment is level 1; payload.exe sits at level 5
        ArchiveLister.Listing shallow = ArchiveLister.list("outer.zip", level, SMALL, null);
        assertThat(shallow.limit()).isEqualTo("depth");
        assertThat(shallow.entries()).extracting(ArchiveLister.Entry::name).doesNotContain("payload.exe");
        assertThat(shallow.nested()).isNotEmpty();
        ArchiveLister.Limits deep = new ArchiveLister.Limits(5, 20, 8L << 20, 100, 1 << 20, 16 * 1024);
        ArchiveLister.Listing all = ArchiveLister.list("outer.zip", level, deep, null);
        assertThat(all.limit()).isNull();
        assertThat(all.entries()).extracting(ArchiveLister.Entry::path)
                .contains("outer.zip/level3.zip/level2.zip/level1.zip/level0.zip/payload.exe");
    }

    @Test
    void entryCountBound() {
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) many.put("f" + i + ".txt", new byte[] {'x'});
        ArchiveLister.Listing l = ArchiveLister.list("many.zip", Archives.zip(many), SMALL, null);
        assertThat(l.limit()).isEqualTo("entries");
        assertThat(l.entries()).hasSize(20);
    }

    @Test
    void encryptedZipFlaggedAndNotRead() {
        byte[] enc = Archives.markEncrypted(Archives.zip("secret.exe", EXE));
        AtomicInteger visited = new AtomicInteger();
        ArchiveLister.Listing l = ArchiveLister.list("enc.zip", enc, SMALL, (e, c) -> visited.incrementAndGet());
        assertThat(l.encrypted()).isTrue();
        assertThat(l.entries()).extracting(ArchiveLister.Entry::name).containsExactly("secret.exe");
        assertThat(visited.get()).isZero();
    }

    @Test
    void tarGzIsOneArchiveAndGzipOfZipIsNested() throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GzipCompressorOutputStream(bo))) {
            TarArchiveEntry e = new TarArchiveEntry("dir/run.exe");
            e.setSize(EXE.length);
            t.putArchiveEntry(e);
            t.write(EXE);
            t.closeArchiveEntry();
        }
        ArchiveLister.Listing l = ArchiveLister.list("x.tar.gz", bo.toByteArray(), SMALL, null);
        assertThat(l.entries()).extracting(ArchiveLister.Entry::name).containsExactly("x.tar", "dir/run.exe");
        assertThat(l.nested()).isEmpty();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream g = new GzipCompressorOutputStream(gz)) {
            g.write(Archives.zip("a.exe", EXE));
        }
        ArchiveLister.Listing n = ArchiveLister.list("f.zip.gz", gz.toByteArray(), SMALL, null);
        assertThat(n.nested()).extracting(ArchiveLister.Nested::format).containsExactly(FileTypes.ArchiveFormat.ZIP);
        assertThat(n.entries()).extracting(ArchiveLister.Entry::name).containsExactly("f.zip", "a.exe");
    }

    @Test
    void sevenZipListed() throws IOException {
        SeekableInMemoryByteChannel ch = new SeekableInMemoryByteChannel();
        try (SevenZOutputFile out = new SevenZOutputFile(ch)) {
            var e = out.createArchiveEntry(new java.io.File("x.scr"), "inner/x.scr");
            out.putArchiveEntry(e);
            out.write(EXE);
            out.closeArchiveEntry();
        }
        byte[] data = Arrays.copyOf(ch.array(), (int) ch.size());
        ArchiveLister.Listing l = ArchiveLister.list("a.7z", data, SMALL, null);
        assertThat(l.damaged()).isFalse();
        assertThat(l.entries()).extracting(ArchiveLister.Entry::name).containsExactly("inner/x.scr");
    }

    @Test
    void notAnArchiveAndDamage() {
        assertThat(ArchiveLister.list("a.txt", "hello".getBytes(StandardCharsets.US_ASCII), SMALL, null).entries()).isEmpty();
        byte[] cut = Arrays.copyOf(Archives.zip("a.exe", EXE), 30);
        ArchiveLister.Listing l = ArchiveLister.list("cut.zip", cut, SMALL, null);
        assertThat(l.limit()).isNull();
        byte[] rar = {'R', 'a', 'r', '!', 0x1A, 0x07, 0x00, 1, 2, 3};
        assertThat(ArchiveLister.list("x.rar", rar, SMALL, null).damaged()).isTrue();
    }
}
