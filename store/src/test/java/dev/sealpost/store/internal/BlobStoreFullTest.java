package dev.sealpost.store.internal;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobWriter;
import dev.sealpost.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Blob files on a full file system (a real ENOSPC on a small tmpfs): FULL, nothing left behind, fine again after. */
class BlobStoreFullTest {
    @TempDir
    Path dir;

    private static byte[] noise(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static IOException write(FsBlobStore blobs, byte[] content) {
        return catchThrowableOfType(IOException.class, () -> {
            try (BlobWriter w = blobs.newWriter()) {
                w.write(content);
                w.commit();
            }
        });
    }

    @Test
    void putOnAFullDiskIsAStoreExceptionOfKindFull() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(dir.resolve("mnt2"), "4m")) {
            try (dev.sealpost.store.Store store = JdbcStore.open(dev.sealpost.store.StoreConfig.sqlite(fs.dir.resolve("data")))) {
                Path filler = fs.fill();
                // a file blob (IMAP APPEND of a large message): ENOSPC becomes FULL, not a bare IOException
                StoreException big = catchThrowableOfType(StoreException.class, () -> store.blobs().put(noise(300 * 1024)));
                assertThat(big).isNotNull();
                assertThat(big.kind()).isEqualTo(StoreException.Kind.FULL);
                assertThat(big.getCause()).isInstanceOf(IOException.class);
                Files.delete(filler);
                BlobRef ref = store.blobs().put(noise(300 * 1024));
                assertThat(store.blobs().exists(ref.id())).isTrue();
            }
        }
    }

    private static long files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aBlobThatDoesNotFitFailsAsFullAndLeavesNoFile() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(dir.resolve("mnt"), "1m")) {
            FsBlobStore blobs = new FsBlobStore(fs.dir.resolve("blobs"));
            // larger than the whole file system: fails while writing or at fsync
            IOException e = write(blobs, noise(2 * 1024 * 1024));
            assertThat(e).isNotNull();
            assertThat(StoreException.kindOf(e)).isEqualTo(StoreException.Kind.FULL);
            assertThat(files(blobs.root())).isZero(); // no temp file, no half blob

            // a full file system, then the space returns
            Path filler = fs.fill();
            IOException again = write(blobs, noise(300 * 1024));
            assertThat(again).isNotNull();
            assertThat(StoreException.kindOf(again)).isEqualTo(StoreException.Kind.FULL);
            assertThat(files(blobs.root())).isZero();
            Files.delete(filler);
            BlobRef ref = blobs.put(noise(300 * 1024));
            assertThat(blobs.exists(ref.id())).isTrue();
            try (var in = blobs.open(ref.id())) {
                assertThat(in.readAllBytes()).isEqualTo(noise(300 * 1024));
            }
        }
    }
}
