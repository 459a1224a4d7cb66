package dev.sealpost.smtp.client;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns message content into what goes on the wire: canonical CRLF line ends (a bare CR or LF
 * becomes CRLF, RFC 5321 §2.3.8), dot-stuffing for DATA (RFC 5321 §4.5.2), a final CRLF when
 * the content lacks one, and the terminating {@code .CRLF} on {@link #finish()}.
 * In binary mode (BDAT with BINARYMIME, RFC 3030 §3) the octets pass through unchanged.
 */
final class DataEncoder extends OutputStream {
    enum Mode {
        /** DATA: CRLF, dot-stuffing, final CRLF and "." CRLF. */
        DATA,
        /** BDAT with a 7BIT/8BITMIME body: CRLF and final CRLF, no stuffing. */
        CHUNKS,
        /** BDAT with BINARYMIME: unchanged. */
        BINARY
    }

    private final OutputStream out;
    private final Mode mode;
    private final byte[] buf = new byte[16 * 1024];
    private int n;
    private boolean lineStart = true;
    private boolean pendingCr;

    DataEncoder(OutputStream out, Mode mode) {
        this.out = out;
        this.mode = mode;
    }

    @Override
    public void write(int b) throws IOException {
        if (mode == Mode.BINARY) {
            put(b);
            return;
        }
        if (pendingCr) {
            pendingCr = false;
            crlf(); // CRLF, or a bare CR made into CRLF
            if (b == '\n') return;
        }
        if (b == '\r') {
            pendingCr = true;
            return;
        }
        if (b == '\n') { // bare LF
            crlf();
            return;
        }
        // RFC 5321 §4.5.2: a line starting with "." gets one more "."
        if (lineStart && b == '.' && mode == Mode.DATA) put('.');
        put(b);
        lineStart = false;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i] & 0xff);
    }

    private void crlf() throws IOException {
        put('\r');
        put('\n');
        lineStart = true;
    }

    private void put(int b) throws IOException {
        if (n == buf.length) drain();
        buf[n++] = (byte) b;
    }

    private void drain() throws IOException {
        out.write(buf, 0, n);
        n = 0;
    }

    /** Ends the content (final CRLF, and "." CRLF for DATA) and passes everything on; does not close. */
    void finish() throws IOException {
        if (mode != Mode.BINARY) {
            if (pendingCr) {
                pendingCr = false;
                crlf();
            }
            if (!lineStart) crlf();
            if (mode == Mode.DATA) {
                put('.');
                put('\r');
                put('\n');
            }
        }
        drain();
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }
}
