package dev.sealpost.filter.attach;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Lists archives found in attachments: zip, 7z, tar, gzip, bzip2 and xz with commons-compress, RAR
 * 4 and 5 by their block headers ({@link RarHeaders}, names only), CAB by magic only. Nested
 * archives are opened to {@link Limits#maxDepth()} levels. Bombs are stopped by the bounds: total
 * decompressed octets, ratio of decompressed octets to the attachment's size, and entry count; at
 * most one entry per level is held in memory, cut at {@link Limits#maxEntryBytes()}. Never throws:
 * damage ends the listing of that archive and is reported in {@link Listing#damaged()}.
 */
public final class ArchiveLister {
    private ArchiveLister() {}

    /**
     * Bounds of one listing.
     *
     * @param maxDepth      archive levels opened (1: the attachment only, not archives inside it)
     * @param maxEntries    entries over every level
     * @param maxTotalBytes decompressed octets over every level
     * @param maxRatio      decompressed octets per octet of the attachment, checked once past 1 MiB
     * @param maxEntryBytes octets of one entry kept in memory for the content checks and nesting
     * @param maxMemoryKib  the decoder memory allowed to 7z and xz (LZMA dictionaries)
     */
    public record Limits(int maxDepth, int maxEntries, long maxTotalBytes, long maxRatio, int maxEntryBytes, int maxMemoryKib) {
        public Limits {
            if (maxDepth < 1 || maxEntries < 1 || maxTotalBytes < 1 || maxRatio < 1 || maxEntryBytes < 1 || maxMemoryKib < 1) {
                throw new IllegalArgumentException("archive limits must be positive");
            }
        }

        /** Depth 3, 1000 entries, 100 MiB decompressed, ratio 100, 10 MiB per entry, 64 MiB decoder memory. */
        public static Limits defaults() {
            return new Limits(3, 1000, 100L << 20, 100, 10 << 20, 64 * 1024);
        }
    }

    /**
     * One entry of an archive.
     *
     * @param path      where it is: {@code f.zip/inner.zip/fake.exe}
     * @param name      its name inside its archive (may hold directories)
     * @param size      its size as declared or read, -1 when unknown
     * @param encrypted true when it is encrypted (its content was not read)
     * @param depth     the archive level holding it (1: the attachment)
     */
    public record Entry(String path, String name, long size, boolean encrypted, int depth) {}

    /** An archive inside an archive: the outer path, the inner entry name and the inner format. */
    public record Nested(String outer, String inner, FileTypes.ArchiveFormat format) {}

    /**
     * The result.
     *
     * @param entries   every entry listed, over every level
     * @param nested    archives found inside archives (not a tar inside a gzip, bzip2 or xz: that is one .tar.gz)
     * @param encrypted true when some entry, or a whole archive's headers, is encrypted
     * @param limit     the bound that stopped the listing ({@code depth}, {@code entries}, {@code size},
     *                  {@code ratio}), or null
     * @param damaged   true when some archive could not be read to its end
     */
    public record Listing(List<Entry> entries, List<Nested> nested, boolean encrypted, String limit, boolean damaged) {}

    /** Called for each entry whose content was read (cut at {@link Limits#maxEntryBytes()}). */
    public interface ContentVisitor {
        void content(Entry entry, byte[] content);
    }

    /** Lists {@code data} (an attachment named {@code name}) when it is an archive; an empty listing otherwise. */
    public static Listing list(String name, byte[] data, Limits limits, ContentVisitor visitor) {
        Walk w = new Walk(limits, data.length, visitor == null ? (e, c) -> { } : visitor);
        try {
            w.open(name == null ? "attachment" : name, data, 1);
        } catch (Stop s) {
            // a bound was reached: w.limit says which
        }
        return new Listing(List.copyOf(w.entries), List.copyOf(w.nested), w.encrypted, w.limit, w.damaged);
    }

    /** A bound reached: unwinds every level at once. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static final class Walk {
        final Limits limits;
        final long inputSize;
        final ContentVisitor visitor;
        final List<Entry> entries = new ArrayList<>();
        final List<Nested> nested = new ArrayList<>();
        long total;
        boolean encrypted, damaged;
        String limit;

        Walk(Limits limits, long inputSize, ContentVisitor visitor) {
            this.limits = limits;
            this.inputSize = Math.max(1, inputSize);
            this.visitor = visitor;
        }

        void open(String path, byte[] data, int depth) {
            FileTypes.ArchiveFormat f = FileTypes.archiveFormat(data);
            if (f == null) return;
            try {
                switch (f) {
                    case ZIP -> zip(path, data, depth);
                    case TAR -> stream(path, new TarArchiveInputStream(new ByteArrayInputStream(data)), depth, f);
                    case SEVEN_Z -> sevenZ(path, data, depth);
                    case RAR -> rar(path, data, depth);
                    case GZIP -> {
                        GzipCompressorInputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(data));
                        // RFC 1952 §2.3.1: FNAME is the original file name, ISO 8859-1
                        String inner = in.getMetaData().getFileName();
                        single(path, inner != null && !inner.isEmpty() ? inner : strip(path, f), in, depth, f);
                    }
                    case BZIP2 -> single(path, strip(path, f), new BZip2CompressorInputStream(new ByteArrayInputStream(data)), depth, f);
                    case XZ -> single(path, strip(path, f), new XZCompressorInputStream(new ByteArrayInputStream(data), false, limits.maxMemoryKib()), depth, f);
                    case CAB -> { } // by magic only: no CAB reader here
                }
            } catch (Stop s) {
                throw s;
            } catch (IOException | RuntimeException | LinkageError e) { // LinkageError: the optional xz decoder missing
                damaged = true;
                if (e instanceof org.apache.commons.compress.PasswordRequiredException) encrypted = true;
            }
        }

        private void zip(String path, byte[] data, int depth) throws IOException {
            ZipFile zf;
            try {
                zf = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(data)).get();
            } catch (IOException e) {
                // no readable central directory (cut, split, hand-made): read the local headers instead
                stream(path, new ZipArchiveInputStream(new ByteArrayInputStream(data), "UTF-8", true, true), depth, FileTypes.ArchiveFormat.ZIP);
                return;
            }
            try (zf) {
                for (ZipArchiveEntry e : Collections.list(zf.getEntries())) {
                    if (e.isDirectory()) continue;
                    boolean enc = e.getGeneralPurposeBit().usesEncryption();
                    Entry entry = add(path, e.getName(), e.getSize(), enc, depth);
                    if (enc) continue;
                    InputStream in;
                    try {
                        in = zf.getInputStream(e);
                    } catch (IOException | RuntimeException x) {
                        damaged = true; // an unsupported method: the name is listed, the content not read
                        continue;
                    }
                    try (in) {
                        content(entry, in, FileTypes.ArchiveFormat.ZIP);
                    }
                }
            }
        }

        private void stream(String path, org.apache.commons.compress.archivers.ArchiveInputStream<?> in, int depth,
                            FileTypes.ArchiveFormat f) throws IOException {
            try (in) {
                ArchiveEntry e;
                while ((e = in.getNextEntry()) != null) {
                    if (e.isDirectory()) continue;
                    boolean enc = e instanceof ZipArchiveEntry z && z.getGeneralPurposeBit().usesEncryption();
                    Entry entry = add(path, e.getName(), e.getSize(), enc, depth);
                    if (!enc && in.canReadEntryData(e)) content(entry, in, f);
                }
            }
        }

        private void sevenZ(String path, byte[] data, int depth) throws IOException {
            try (SevenZFile sz = SevenZFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(data))
                    .setMaxMemoryLimitKiB(limits.maxMemoryKib()).get()) {
                SevenZArchiveEntry e;
                while ((e = sz.getNextEntry()) != null) {
                    if (e.isDirectory()) continue;
                    boolean enc = false;
                    for (var m : e.getContentMethods()) {
                        if (m.getMethod() == org.apache.commons.compress.archivers.sevenz.SevenZMethod.AES256SHA256) enc = true;
                    }
                    Entry entry = add(path, e.getName(), e.hasStream() ? e.getSize() : 0, enc, depth);
                    if (enc || !e.hasStream()) continue;
                    InputStream in = new InputStream() {
                        public int read() throws IOException {
                            return sz.read();
                        }

                        public int read(byte[] b, int off, int len) throws IOException {
                            return sz.read(b, off, len);
                        }
                    };
                    content(entry, in, FileTypes.ArchiveFormat.SEVEN_Z);
                }
            }
        }

        private void rar(String path, byte[] data, int depth) {
            RarHeaders.RarListing l = RarHeaders.list(data, limits.maxEntries());
            if (l.headersEncrypted()) encrypted = true;
            if (l.damaged()) damaged = true;
            for (RarHeaders.RarEntry e : l.entries()) add(path, e.name(), e.size(), e.encrypted(), depth);
        }

        private void single(String path, String inner, InputStream in, int depth, FileTypes.ArchiveFormat f) throws IOException {
            try (in) {
                Entry entry = add(path, inner, -1, false, depth);
                content(entry, in, f);
            }
        }

        /** The name inside a compressor without its own name: the outer name without {@code .gz}/{@code .bz2}/{@code .xz}. */
        private static String strip(String path, FileTypes.ArchiveFormat f) {
            String last = path.substring(path.lastIndexOf('/') + 1);
            String lower = last.toLowerCase(Locale.ROOT);
            for (String ext : new String[] {".tgz", ".tbz2", ".tbz", ".txz"}) {
                if (lower.endsWith(ext)) return last.substring(0, last.length() - ext.length()) + ".tar";
            }
            int dot = last.lastIndexOf('.');
            return dot > 0 ? last.substring(0, dot) : last;
        }

        private Entry add(String path, String name, long size, boolean enc, int depth) {
            if (entries.size() >= limits.maxEntries()) {
                limit = "entries";
                throw new Stop();
            }
            String n = name == null ? "" : name;
            Entry e = new Entry(path + "/" + n, n, size, enc, depth);
            entries.add(e);
            if (enc) encrypted = true;
            return e;
        }

        /** Reads one entry within the bounds, hands it to the visitor, and opens it when it is an archive. */
        private void content(Entry entry, InputStream in, FileTypes.ArchiveFormat outer) throws IOException {
            ByteArrayOutputStream kept = new ByteArrayOutputStream((int) Math.min(Math.max(entry.size(), 32), 1 << 16));
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > limits.maxTotalBytes()) {
                    limit = "size";
                    throw new Stop();
                }
                if (total > (1L << 20) && total / inputSize > limits.maxRatio()) {
                    limit = "ratio";
                    throw new Stop();
                }
                int keep = (int) Math.min(n, limits.maxEntryBytes() - (long) kept.size());
                if (keep > 0) kept.write(buf, 0, keep);
            }
            byte[] content = kept.toByteArray();
            visitor.content(entry, content);
            FileTypes.ArchiveFormat inner = FileTypes.archiveFormat(content);
            if (inner == null) return;
            boolean compressor = outer == FileTypes.ArchiveFormat.GZIP || outer == FileTypes.ArchiveFormat.BZIP2
                    || outer == FileTypes.ArchiveFormat.XZ;
            if (!(compressor && inner == FileTypes.ArchiveFormat.TAR)) nested.add(new Nested(entry.path().substring(0,
                    entry.path().length() - entry.name().length() - 1), entry.name(), inner));
            if (entry.depth() + 1 > limits.maxDepth()) {
                if (limit == null) limit = "depth";
                return;
            }
            open(entry.path(), content, entry.depth() + 1);
        }
    }
}
