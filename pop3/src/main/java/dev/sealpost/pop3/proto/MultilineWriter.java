package dev.sealpost.pop3.proto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes a message as the body of a POP3 multi-line response (RFC 1939 §3): every line ends
 * with CRLF, a line starting with "." gets one more "." (byte-stuffing), and the response ends
 * with {@code CRLF . CRLF}. Streams: holds one buffer, never the message.
 *
 * <p>Stored messages are CRLF-terminated (SMTP refuses bare LF); a bare LF found anyway is sent
 * as CRLF, so the framing is always right (the octet count in {@code +OK n octets} is then the
 * stored size, which RFC 1939 §11 tolerates as an approximation). A missing final line end is
 * added before the terminating dot.
 */
public final class MultilineWriter {
    private MultilineWriter() {}

    /** No limit on body lines: the whole message (RETR). */
    public static final int ALL = -1;

    /**
     * Copies {@code in} to {@code out} dot-stuffed, then writes the terminating ".".
     *
     * @param bodyLines {@link #ALL}, or for TOP (RFC 1939 §7) the number of body lines to send
     *                  after the header and the blank line that ends it
     * @return the number of message octets read from {@code in}
     */
    public static long write(InputStream in, OutputStream out, int bodyLines) throws IOException {
        byte[] buf = new byte[8192];
        Out o = new Out(out);
        boolean lineStart = true, prevCr = false, header = true;
        int lineLen = 0; // octets of the current line other than CR
        long left = bodyLines; // body lines still to send (TOP)
        long read = 0;
        outer:
        while (true) {
            int n = in.read(buf);
            if (n < 0) break;
            read += n;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    if (!prevCr) o.put((byte) '\r');
                    o.put((byte) '\n');
                    lineStart = true;
                    prevCr = false;
                    if (header) {
                        if (lineLen == 0) { // RFC 5322 §2.1: the empty line ends the header
                            header = false;
                            if (bodyLines == 0) break outer;
                        }
                    } else if (bodyLines > 0 && --left == 0) {
                        break outer;
                    }
                    lineLen = 0;
                    continue;
                }
                if (lineStart && b == '.') o.put((byte) '.'); // RFC 1939 §3: byte-stuff a leading "."
                o.put(b);
                lineStart = false;
                prevCr = b == '\r';
                if (!prevCr) lineLen++;
            }
        }
        if (!lineStart) {
            o.put((byte) '\r');
            o.put((byte) '\n');
        }
        o.put((byte) '.');
        o.put((byte) '\r');
        o.put((byte) '\n');
        o.drain();
        return read;
    }

    /** A plain output buffer: one write per 8 KiB instead of one (locking) call per octet. */
    private static final class Out {
        private final OutputStream out;
        private final byte[] b = new byte[8192];
        private int n;

        Out(OutputStream out) {
            this.out = out;
        }

        void put(byte x) throws IOException {
            if (n == b.length) drain();
            b[n++] = x;
        }

        void drain() throws IOException {
            if (n > 0) out.write(b, 0, n);
            n = 0;
        }
    }
}
