package dev.sealpost.smtp.proto;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The buffered input side of an SMTP connection: bounded command lines, raw bytes for DATA
 * and BDAT. Never holds more than its buffer plus one bounded line in memory.
 *
 * <p>Before each read that may block, the {@code beforeBlocking} hook runs: the engine flushes
 * its buffered replies there, which is exactly the PIPELINING rule of RFC 2920 §3 (answer a
 * whole group of commands, but never wait for input with replies still unsent).
 */
public final class SmtpInput {
    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /** How a line ended. */
    public enum Status {
        /** Ended with CRLF; {@link Line#bytes()} holds it without the CRLF. */
        OK,
        /** Longer than the limit: discarded up to and including its LF, so the stream stays in sync. */
        TOO_LONG,
        /** Ended with a bare LF (RFC 5321 §2.3.8 forbids it); the line is discarded. */
        BARE_LF,
        /** The peer closed the connection (a partial line is dropped). */
        EOF
    }

    /** One line read by {@link #readLine}. */
    public record Line(Status status, byte[] bytes) {}

    private final InputStream in;
    private final IoAction beforeBlocking;
    private final byte[] buf = new byte[16 * 1024];
    private int pos, limit;

    public SmtpInput(InputStream in, IoAction beforeBlocking) {
        this.in = in;
        this.beforeBlocking = beforeBlocking;
    }

    /** Bytes received and not yet consumed. */
    public int buffered() {
        return limit - pos;
    }

    /**
     * Drops everything received but not consumed, and returns how many bytes that was.
     * After STARTTLS this removes commands injected in the cleartext (RFC 3207 §4.2, CVE-2011-0411).
     */
    public int discardBuffered() {
        int n = limit - pos;
        pos = limit = 0;
        return n;
    }

    /**
     * Makes at least one byte available, reading only when none is buffered (then the
     * {@code beforeBlocking} hook runs first); false at end of stream.
     */
    boolean fill() throws IOException {
        if (pos < limit) return true;
        beforeBlocking.run();
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    // The buffer window, for DataReader, which scans it in place: buffer()[position(), limit())
    // holds the bytes received and not yet consumed. Only fill() may refill it (and only when
    // the window is empty), so a reader must have written out whatever it still needs from the
    // window before calling fill().

    /** The input buffer itself (not a copy). */
    byte[] buffer() {
        return buf;
    }

    /** The index of the first byte not yet consumed. */
    int position() {
        return pos;
    }

    /** The index after the last byte received. */
    int limit() {
        return limit;
    }

    /** Marks the bytes before {@code newPos} consumed; {@code position() <= newPos <= limit()}. */
    void position(int newPos) {
        if (newPos < pos || newPos > limit) throw new IllegalArgumentException("position " + newPos + " outside [" + pos + ", " + limit + "]");
        pos = newPos;
    }

    /** One byte, or -1 at end of stream. */
    public int read() throws IOException {
        if (pos >= limit && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    /**
     * Reads one line of at most {@code max} octets (not counting CRLF).
     */
    public Line readLine(int max) throws IOException {
        byte[] line = new byte[Math.min(max, 512) + 2];
        int len = 0;
        boolean tooLong = false;
        while (true) {
            if (pos >= limit && !fill()) return new Line(Status.EOF, null);
            // scan the buffer for LF
            int start = pos;
            int end = ByteScan.indexOfLf(buf, pos, limit);
            int lf = end < limit ? end : -1;
            int chunk = end - start;
            if (!tooLong) {
                if (len + chunk > max + 1) { // +1: room for the CR before LF
                    tooLong = true;
                } else {
                    if (len + chunk > line.length) line = Arrays.copyOf(line, Math.min(max + 2, Math.max(line.length * 2, len + chunk)));
                    System.arraycopy(buf, start, line, len, chunk);
                    len += chunk;
                }
            }
            pos = lf < 0 ? limit : lf + 1;
            if (lf >= 0) {
                if (tooLong) return new Line(Status.TOO_LONG, null);
                // RFC 5321 §2.3.8: a line ends with CRLF; a bare LF is not a line end we accept
                if (len == 0 || line[len - 1] != '\r') return new Line(Status.BARE_LF, null);
                len--;
                return new Line(Status.OK, Arrays.copyOf(line, len));
            }
        }
    }

    /**
     * Copies exactly {@code n} octets to {@code out} (or drops them when {@code out} is null):
     * a BDAT chunk, binary-safe (RFC 3030 §2).
     *
     * @throws EOFException when the connection ends first
     */
    public void transfer(long n, OutputStream out) throws IOException {
        long left = n;
        while (left > 0) {
            if (pos >= limit && !fill()) throw new EOFException("connection closed inside a BDAT chunk");
            int k = (int) Math.min(left, limit - pos);
            if (out != null) out.write(buf, pos, k);
            pos += k;
            left -= k;
        }
    }
}
