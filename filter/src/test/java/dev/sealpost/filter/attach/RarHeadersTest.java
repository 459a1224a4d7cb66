package dev.sealpost.filter.attach;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** RAR headers built here from the format notes (RAR 5: vint fields; RAR 4: fixed little-endian blocks). */
class RarHeadersTest {
    private static void vint(ByteArrayOutputStream o, long v) {
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            o.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    /** One RAR 5 block: CRC32 (not checked by the walker), header size, then the header fields and the data. */
    private static void block5(ByteArrayOutputStream o, byte[] header, byte[] data) {
        o.writeBytes(new byte[4]);
        vint(o, header.length);
        o.writeBytes(header);
        o.writeBytes(data);
    }

    private static byte[] file5(String name, byte[] data, boolean encrypted) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        vint(h, 2); // file header
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        if (encrypted) {
            ByteArrayOutputStream rec = new ByteArrayOutputStream();
            vint(rec, 1); // encryption record
            rec.writeBytes(new byte[8]);
            vint(extra, rec.size());
            extra.writeBytes(rec.toByteArray());
        }
        vint(h, 0x02 | (encrypted ? 0x01 : 0)); // data area, extra area
        if (encrypted) vint(h, extra.size());
        vint(h, data.length);
        vint(h, 0); // file flags
        vint(h, data.length); // unpacked size
        vint(h, 0x20); // attributes
        vint(h, 0); // compression information
        vint(h, 0); // host OS
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        vint(h, n.length);
        h.writeBytes(n);
        h.writeBytes(extra.toByteArray());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        block5(o, h.toByteArray(), data);
        return o.toByteArray();
    }

    private static byte[] rar5(byte[]... blocks) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00});
        ByteArrayOutputStream main = new ByteArrayOutputStream();
        vint(main, 1);
        vint(main, 0);
        vint(main, 0); // archive flags
        block5(o, main.toByteArray(), new byte[0]);
        for (byte[] b : blocks) o.writeBytes(b);
        ByteArrayOutputStream end = new ByteArrayOutputStream();
        vint(end, 5);
        vint(end, 0);
        vint(end, 0);
        block5(o, end.toByteArray(), new byte[0]);
        return o.toByteArray();
    }

    @Test
    void rar5NamesAndEncryption() {
        byte[] rar = rar5(file5("docs/résumé.pdf.exe", "MZ".getBytes(StandardCharsets.US_ASCII), false),
                file5("secret.js", new byte[10], true));
        RarHeaders.RarListing l = RarHeaders.list(rar, 100);
        assertThat(l.damaged()).isFalse();
        assertThat(l.entries()).containsExactly(new RarHeaders.RarEntry("docs/résumé.pdf.exe", 2, false),
                new RarHeaders.RarEntry("secret.js", 10, true));
        ArchiveLister.Listing listing = ArchiveLister.list("a.rar", rar, ArchiveLister.Limits.defaults(), null);
        assertThat(listing.encrypted()).isTrue();
        assertThat(new AttachmentCheck(AttachmentCheck.Settings.defaults()).checkFile("a.rar", "application/x-rar", rar))
                .extracting(h -> h.name()).contains("dangerous_attachment", "double_extension", "encrypted_archive");
    }

    @Test
    void rar5EncryptedHeadersAndDamage() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00});
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        vint(enc, 4);
        vint(enc, 0);
        enc.writeBytes(new byte[20]);
        block5(o, enc.toByteArray(), new byte[0]);
        assertThat(RarHeaders.list(o.toByteArray(), 100).headersEncrypted()).isTrue();
        byte[] cut = java.util.Arrays.copyOf(rar5(file5("a.exe", new byte[3], false)), 20);
        assertThat(RarHeaders.list(cut, 100).damaged()).isTrue();
    }

    @Test
    void rar4EncryptedFileAndLargeSizes() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1A, 0x07, 0x00});
        o.writeBytes(new byte[] {0, 0, 0x73, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0}); // main header
        byte[] name = "pay.vbs".getBytes(StandardCharsets.US_ASCII);
        int size = 32 + 8 + name.length;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).put((byte) 0x74).putShort((short) (0x8000 | 0x0100 | 0x0004)).putShort((short) size);
        b.putInt(1).putInt(7).put((byte) 3).putInt(0).putInt(0).put((byte) 29).put((byte) 0x30)
                .putShort((short) name.length).putInt(0x20).putInt(0).putInt(1).put(name);
        o.writeBytes(b.array());
        o.write(0); // one octet of packed data
        o.writeBytes(new byte[] {0, 0, 0x7B, 0, 0x40, 7, 0}); // end of archive
        RarHeaders.RarListing l = RarHeaders.list(o.toByteArray(), 100);
        assertThat(l.entries()).containsExactly(new RarHeaders.RarEntry("pay.vbs", (1L << 32) | 7, true));
        assertThat(l.damaged()).isFalse();
    }
}
