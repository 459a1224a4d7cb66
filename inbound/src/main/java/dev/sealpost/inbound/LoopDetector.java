package dev.sealpost.inbound;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes content through while counting {@code Received:} fields in the header section
 * (RFC 5321 §6.3 loop detection). Stops looking at the first empty line.
 */
final class LoopDetector extends FilterOutputStream {
    private static final byte[] RECEIVED = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final int max;
    private int count;
    private boolean inHeader = true;
    private int lineLen;      // bytes in the current line, CR not counted
    private boolean matching = true;

    LoopDetector(OutputStream out, int max) {
        super(out);
        this.max = max;
    }

    boolean looping() {
        return count > max;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        scan((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (inHeader) {
            for (int i = off; i < off + len && inHeader; i++) scan(b[i]);
        }
    }

    private void scan(byte c) {
        if (!inHeader || c == '\r') return;
        if (c == '\n') {
            if (lineLen == 0) inHeader = false; // the empty line ends the header section (RFC 5322 §2.1)
            lineLen = 0;
            matching = true;
            return;
        }
        if (matching && lineLen < RECEIVED.length) {
            int lc = (c >= 'A' && c <= 'Z') ? c + 32 : c;
            if (lc != RECEIVED[lineLen]) matching = false;
            else if (lineLen == RECEIVED.length - 1) count++;
        }
        lineLen++;
    }
}
