package dev.sealpost.filter.attach;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Archives made in the tests. */
final class Archives {
    private Archives() {}

    static byte[] zip(Map<String, byte[]> entries) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(bo)) {
                for (var e : entries.entrySet()) {
                    z.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                    z.write(e.getValue());
                    z.closeArchiveEntry();
                }
            }
            return bo.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] zip(String name, byte[] content) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(name, content);
        return zip(m);
    }

    /** A zip of one entry of {@code size} zero octets, written in 1 MiB chunks (deflate: about 1000 to 1). */
    static byte[] zeros(String name, long size) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(bo)) {
                z.putArchiveEntry(new ZipArchiveEntry(name));
                byte[] chunk = new byte[1 << 20];
                for (long w = 0; w < size; w += chunk.length) z.write(chunk, 0, (int) Math.min(chunk.length, size - w));
                z.closeArchiveEntry();
            }
            return bo.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the "encrypted" general purpose bit (APPNOTE 4.4.4 bit 0) in every local and central header. */
    static byte[] markEncrypted(byte[] zip) {
        byte[] z = zip.clone();
        for (int i = 0; i + 10 < z.length; i++) {
            if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 3 && z[i + 3] == 4) z[i + 6] |= 1;
            if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 1 && z[i + 3] == 2) z[i + 8] |= 1;
        }
        return z;
    }

    /** A message with one base64 attachment. */
    static byte[] message(String contentType, String disposition, byte[] body) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(body);
        String m = "From: a@example.org\r\nTo: b@example.net\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b1\r\nContent-Type: " + contentType + "\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: "
                + disposition + "\r\n\r\n" + b64 + "\r\n--b1--\r\n";
        return m.getBytes(StandardCharsets.UTF_8);
    }
}
