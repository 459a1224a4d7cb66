package dev.sealpost.store;

import dev.sealpost.store.internal.FsBlobStoreAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobStoreTest {
    @TempDir
    Path dir;

    BlobStore blobs() throws IOException {
        return FsBlobStoreAccess.open(dir.resolve("blobs"));
    }

    /** Stored blob files (not temp files). */
    List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals("tmp")).toList();
        }
    }

    List<Path> temps() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("blobs/tmp"))) {
            return s.toList();
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Mail-like text: compresses well, as real messages do. */
    static byte[] text(int size) {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(42);
        String[] words = {"Received:", "from", "mail.example.org", "by", "mx", "with", "ESMTPS", "id", "Subject:", "hello", "the", "quarterly", "report"};
        while (sb.length() < size) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(10) == 0 ? "\r\n" : " ");
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void idIsSha256AndLayoutIsFannedOut() throws Exception {
        byte[] content = "hello\r\n".getBytes(StandardCharsets.US_ASCII);
        BlobRef ref = blobs().put(content);
        assertThat(ref.id()).isEqualTo(sha256(content)).matches("[0-9a-f]{64}");
        assertThat(ref.size()).isEqualTo(content.length);
        Path expected = dir.resolve("blobs").resolve(ref.id().substring(0, 2)).resolve(ref.id());
        assertThat(files()).containsExactly(expected);
        // small: stored raw behind a 1-byte header
        assertThat(Files.size(expected)).isEqualTo(content.length + 1);
        assertThat(Files.readAllBytes(expected)[0]).isEqualTo((byte) 0);
    }

    @Test
    void sameContentTwiceIsStoredOnce() throws Exception {
        BlobStore b = blobs();
        byte[] content = text(10_000);
        BlobRef first = b.put(content);
        BlobRef second = b.put(content);
        assertThat(second).isEqualTo(first);
        assertThat(files()).hasSize(1);
        assertThat(temps()).isEmpty();
        assertThat(b.put("other".getBytes(StandardCharsets.US_ASCII)).id()).isNotEqualTo(first.id());
        assertThat(files()).hasSize(2);
    }

    @Test
    void concurrentWritersOfSameContent() throws Exception {
        BlobStore b = blobs();
        byte[] content = text(50_000);
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<BlobRef>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) fs.add(exec.submit(() -> b.put(content)));
            for (Future<BlobRef> f : fs) assertThat(f.get().id()).isEqualTo(sha256(content));
        }
        assertThat(files()).hasSize(1);
        assertThat(temps()).isEmpty();
        try (InputStream in = b.open(sha256(content))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void compressibleContentIsDeflatedAndReadBack() throws Exception {
        BlobStore b = blobs();
        byte[] content = text(100_000);
        BlobRef ref = b.put(content);
        Path file = files().getFirst();
        assertThat(Files.readAllBytes(file)[0]).isEqualTo((byte) 1);
        assertThat(Files.size(file)).isLessThan(content.length / 2);
        assertThat(b.storedBytes()).isEqualTo(Files.size(file));
        try (InputStream in = b.open(ref.id())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void incompressibleContentIsStoredRaw() throws Exception {
        BlobStore b = blobs();
        byte[] content = random(64 * 1024);
        BlobRef ref = b.put(content);
        Path file = files().getFirst();
        assertThat(Files.readAllBytes(file)[0]).isEqualTo((byte) 0);
        assertThat(Files.size(file)).isEqualTo(content.length + 1);
        assertThat(temps()).isEmpty();
        try (InputStream in = b.open(ref.id())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void emptyAndThresholdSizes() throws Exception {
        BlobStore b = blobs();
        for (int size : new int[] {0, 1, 1023, 1024, 1025, 4096}) {
            byte[] content = text(size);
            BlobRef ref;
            try (BlobWriter w = b.newWriter()) {
                for (byte x : content) w.write(x); // byte at a time crosses the threshold mid-stream
                assertThat(w.size()).isEqualTo(size);
                ref = w.commit();
            }
            assertThat(ref).isEqualTo(new BlobRef(sha256(content), size));
            try (InputStream in = b.open(ref.id())) {
                assertThat(in.readAllBytes()).as("size %d", size).isEqualTo(content);
            }
        }
    }

    @Test
    void fiveMebibytesStreamed() throws Exception {
        BlobStore b = blobs();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] chunk = text(8192);
        byte[] noise = random(8192);
        int total = 5 * 1024 * 1024;
        BlobRef ref;
        try (BlobWriter w = b.newWriter()) {
            for (int off = 0, i = 0; off < total; off += 8192, i++) {
                byte[] part = i % 4 == 0 ? noise : chunk; // a mix, like a message with an attachment
                w.write(part);
                md.update(part);
            }
            ref = w.commit();
        }
        assertThat(ref.size()).isEqualTo(total);
        assertThat(ref.id()).isEqualTo(HexFormat.of().formatHex(md.digest()));
        MessageDigest back = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (InputStream in = b.open(ref.id())) {
            byte[] buf = new byte[8192];
            for (int r; (r = in.read(buf)) > 0; n += r) back.update(buf, 0, r);
        }
        assertThat(n).isEqualTo(total);
        assertThat(HexFormat.of().formatHex(back.digest())).isEqualTo(ref.id());
        assertThat(Files.size(files().getFirst())).isLessThan(total);
    }

    @Test
    void abortLeavesNothing() throws Exception {
        BlobStore b = blobs();
        BlobWriter w = b.newWriter();
        w.write(text(20_000));
        assertThat(temps()).hasSize(1);
        w.abort();
        w.abort(); // idempotent
        assertThat(temps()).isEmpty();
        assertThat(files()).isEmpty();
        assertThatThrownBy(() -> w.write(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(w::commit).isInstanceOf(IOException.class);

        try (BlobWriter w2 = b.newWriter()) {
            w2.write(text(20_000));
        } // closed without commit: aborted
        assertThat(temps()).isEmpty();
        assertThat(files()).isEmpty();
    }

    @Test
    void tempFilesOfDeadWritersSweptOnOpenLiveOnesKept() throws Exception {
        blobs();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.write(dir.resolve("blobs/tmp/" + gone.pid() + "-1-1.tmp"), text(5000));
        Files.write(dir.resolve("blobs/tmp/crash.tmp"), new byte[0]);
        // a running server's in-flight write (here: this JVM's pid) survives another process opening the store
        Path live = dir.resolve("blobs/tmp/" + ProcessHandle.current().pid() + "-9-9.tmp");
        Files.write(live, text(10));
        BlobStore b = blobs();
        assertThat(temps()).containsExactly(live);
        assertThat(b.put(text(10)).size()).isEqualTo(10);
    }

    @Test
    void badIdsAndMissingBlobs() throws Exception {
        BlobStore b = blobs();
        assertThatThrownBy(() -> b.open("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.open("ABCDEF".repeat(10) + "ABCD")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.open("0".repeat(64))).isInstanceOf(NoSuchFileException.class);
        assertThat(b.exists("0".repeat(64))).isFalse();
        assertThat(b.exists(null)).isFalse();
        assertThat(b.exists("../x")).isFalse();
        BlobRef ref = b.put(new byte[] {1, 2, 3});
        assertThat(b.exists(ref.id())).isTrue();
    }

    @Test
    void corruptFormatByteIsAnError() throws Exception {
        BlobStore b = blobs();
        BlobRef ref = b.put(text(10));
        Path f = files().getFirst();
        byte[] raw = Files.readAllBytes(f);
        raw[0] = 9;
        Files.write(f, raw);
        assertThatThrownBy(() -> b.open(ref.id())).isInstanceOf(IOException.class).hasMessageContaining("format");
    }
}
