package dev.sealpost.pop3.proto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The buffered input side of a POP3 connection: bounded command lines. Holds at most its
 * buffer plus one bounded line in memory.
 *
 * <p>Before each read that may block, the {@code beforeBlocking} hook runs: the session
 * flushes its buffered responses there (RFC 2449 §6.6 PIPELINING: answer a whole group of
 * commands, but never wait for input with responses still unsent).
 *
 * <p>Leniency, a decision: a line may end with a bare LF as well as CRLF (RFC 1939 §3 says
 * CRLF). POP3 commands carry no message data, so there is nothing to smuggle, and hand-typed
 * sessions (netcat) work.
 */
public final class Pop3Input {
    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /** How a line ended. */
    public enum Status {
        /** A complete line; {@link Line#bytes()} holds it without CR LF. */
        OK,
        /** Longer than the limit: discarded up to and including its LF, so the stream stays in sync. */
        TOO_LONG,
        /** The peer closed the connection (a partial line is dropped). */
        EOF
    }

    /** One line read by {@link #readLine}. */
    public record Line(Status status, byte[] bytes) {}

    private final InputStream in;
    private final IoAction beforeBlocking;
    private final byte[] buf = new byte[8 * 1024];
    private int pos, limit;

    public Pop3Input(InputStream in, IoAction beforeBlocking) {
        this.in = in;
        this.beforeBlocking = beforeBlocking;
    }

    /**
     * Drops everything received but not consumed and returns how many bytes that was. After
     * STLS this removes commands injected in the cleartext (RFC 2595 §4, CVE-2011-0411 class).
     */
    public int discardBuffered() {
        int n = limit - pos;
        pos = limit = 0;
        return n;
    }

    private boolean fill() throws IOException {
        if (pos < limit) return true;
        beforeBlocking.run();
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    /** Reads one line of at most {@code max} octets (not counting the line end). */
    public Line readLine(int max) throws IOException {
        byte[] line = new byte[Math.min(max, 256) + 1];
        int len = 0;
        boolean tooLong = false;
        while (true) {
            if (pos >= limit && !fill()) return new Line(Status.EOF, null);
            int lf = -1;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int end = lf < 0 ? limit : lf;
            int chunk = end - pos;
            if (!tooLong) {
                if (len + chunk > max + 1) { // +1: room for a CR before the LF
                    tooLong = true;
                } else {
                    if (len + chunk > line.length) {
                        line = Arrays.copyOf(line, Math.min(max + 1, Math.max(line.length * 2, len + chunk)));
                    }
                    System.arraycopy(buf, pos, line, len, chunk);
                    len += chunk;
                }
            }
            pos = lf < 0 ? limit : lf + 1;
            if (lf >= 0) {
                if (tooLong) return new Line(Status.TOO_LONG, null);
                if (len > 0 && line[len - 1] == '\r') len--;
                if (len > max) return new Line(Status.TOO_LONG, null);
                return new Line(Status.OK, Arrays.copyOf(line, len));
            }
        }
    }
}
