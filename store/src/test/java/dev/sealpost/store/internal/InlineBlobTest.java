package dev.sealpost.store.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored form of inline blobs: adaptive deflate round-trips and loses (almost) nothing against plain deflate. */
class InlineBlobTest {

    private static byte[] text(Random r, int n) {
        String[] words = {"the", "message", "delivery", "mailbox", "Sealpost", "header", "field", "quota", "and", "of"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? "\r\n" : " ");
        }
        return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] base64(Random r, int n) {
        byte[] raw = new byte[n * 3 / 4 + 3];
        r.nextBytes(raw);
        byte[] b = Base64.getMimeEncoder().encode(raw);
        return java.util.Arrays.copyOf(b, Math.min(n, b.length));
    }

    private static byte[] binary(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] xLines(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i % 80 == 78 ? '\r' : i % 80 == 79 ? '\n' : 'X');
        return b;
    }

    private static byte[] decode(InlineBlob blob) throws Exception {
        try (var in = FsBlobStore.decoded(new ByteArrayInputStream(blob.encoded()), blob.id())) {
            return in.readAllBytes();
        }
    }

    private static int plainDeflatedSize(byte[] content) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        d.setInput(content);
        d.finish();
        byte[] buf = new byte[content.length + 1024];
        int n = 0;
        while (!d.finished()) n += d.deflate(buf, n, buf.length - n);
        d.end();
        return n;
    }

    @Test
    void mixturesOfTextBase64AndBinaryRoundTrip() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 300; i++) {
            ByteArrayOutputStream msg = new ByteArrayOutputStream();
            int parts = 1 + r.nextInt(5);
            for (int p = 0; p < parts; p++) {
                int n = r.nextInt(1 + r.nextInt(3) * 40_000);
                switch (r.nextInt(4)) {
                    case 0 -> msg.write(text(r, n));
                    case 1 -> msg.write(base64(r, n));
                    case 2 -> msg.write(binary(r, n));
                    default -> msg.write(xLines(n));
                }
            }
            byte[] content = msg.toByteArray();
            InlineBlob blob = InlineBlob.encode(content, content.length);
            assertThat(blob.size()).isEqualTo(content.length);
            assertThat(decode(blob)).as("case %d, %d bytes", i, content.length).isEqualTo(content);
        }
    }

    @Test
    void base64AttachmentsKeepTheirSavingAndTextIsStillCompressedWell() {
        Random r = new Random(7);
        byte[] b64 = base64(r, 200_000);
        byte[] adaptive = InlineBlob.deflate(b64, b64.length, b64.length);
        assertThat(adaptive).isNotNull();
        // Huffman coding alone reaches what LZ77 reaches on base64 (6 bits of 8): within 2%
        assertThat((double) adaptive.length).isLessThan(plainDeflatedSize(b64) * 1.02);
        assertThat((double) adaptive.length).isLessThan(b64.length * 0.78);

        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.writeBytes(text(r, 20_000));
        mixed.writeBytes(b64);
        mixed.writeBytes(text(r, 120_000)); // after the attachment: LZ77 again
        byte[] m = mixed.toByteArray();
        byte[] out = InlineBlob.deflate(m, m.length, m.length);
        assertThat(out).isNotNull();
        assertThat((double) out.length).isLessThan(plainDeflatedSize(m) * 1.05);

        byte[] x = xLines(100_000);
        byte[] xs = InlineBlob.deflate(x, x.length, x.length);
        assertThat(xs).isNotNull();
        assertThat(xs.length).isLessThan(plainDeflatedSize(x) + 200);
    }

    @Test
    void incompressibleContentIsStoredRaw() {
        byte[] b = binary(new Random(1), 50_000);
        InlineBlob blob = InlineBlob.encode(b, b.length);
        assertThat((int) blob.encoded()[0]).isEqualTo((int) FsBlobStore.FORMAT_RAW);
        assertThat(InlineBlob.deflate(b, b.length, b.length * 9 / 10)).isNull();
    }
}
