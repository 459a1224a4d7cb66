package dev.sealpost.evidence.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Framing of the log's append-only files: {@code u32 length || u32 CRC-32C(payload) || payload}.
 * A torn write shows as a short or mis-summed last frame.
 */
final class Frames {
    static final int HEADER = 8;
    static final int MAX_PAYLOAD = 1 << 20;

    private Frames() {}

    static ByteBuffer frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
        return b;
    }

    static int crc(byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(payload);
        return (int) c.getValue();
    }

    /** One frame found by a scan: where it starts and its payload. */
    record Frame(long offset, byte[] payload) {}

    /**
     * The outcome of scanning a file: its good frames, the offset where they end, and whether a
     * bad frame was found before the last one (corruption, not a torn tail).
     */
    record Scan(List<Frame> frames, long goodEnd, long fileSize, String corruption) {
        boolean tornTail() {
            return corruption == null && goodEnd < fileSize;
        }
    }

    static Scan scan(FileChannel ch) throws IOException {
        long size = ch.size();
        List<Frame> out = new ArrayList<>();
        long pos = 0;
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        while (pos < size) {
            head.clear();
            if (size - pos < HEADER) break;   // torn header at the end
            readFully(ch, head, pos);
            head.flip();
            int len = head.getInt();
            int crc = head.getInt();
            if (len <= 0 || len > MAX_PAYLOAD) {
                return new Scan(out, pos, size, "a frame at byte " + pos + " has a bad length " + len);
            }
            if (size - pos - HEADER < len) break;   // torn payload at the end
            ByteBuffer body = ByteBuffer.allocate(len);
            readFully(ch, body, pos + HEADER);
            byte[] payload = body.array();
            if (crc(payload) != crc) {
                if (pos + HEADER + len == size) break;   // the last frame: torn (its tail never reached the disk)
                return new Scan(out, pos, size, "the frame at byte " + pos + " fails its checksum");
            }
            out.add(new Frame(pos, payload));
            pos += HEADER + len;
        }
        return new Scan(out, pos, size, null);
    }

    static byte[] read(FileChannel ch, long offset) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        readFully(ch, head, offset);
        head.flip();
        int len = head.getInt();
        int crc = head.getInt();
        if (len <= 0 || len > MAX_PAYLOAD) throw new IOException("bad frame length at " + offset);
        ByteBuffer body = ByteBuffer.allocate(len);
        readFully(ch, body, offset + HEADER);
        if (crc(body.array()) != crc) throw new IOException("frame at " + offset + " fails its checksum");
        return body.array();
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) throw new IOException("unexpected end of file at " + pos);
            pos += n;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}
