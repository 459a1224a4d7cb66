package dev.sealpost.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The buffered input side of a line-oriented protocol connection (SMTP, POP3, ManageSieve):
 * bounded command lines and raw octets. Never holds more than its buffer plus one bounded line in
 * memory; a line over the limit is discarded up to its LF so that the stream stays in sync.
 *
 * <p>Before each read that may block, the {@code beforeBlocking} hook runs: the session flushes
 * its buffered replies there, which is exactly the pipelining rule of SMTP (RFC 2920 §3) and POP3
 * (RFC 2449 §6.6): answer a whole group of commands, but never wait for input with replies still
 * unsent.
 *
 * <p>After a TLS upgrade the session calls {@link #discardBuffered()} and layers a new input on
 * the TLS stream: commands injected in the cleartext are never executed (RFC 3207 §4.2,
 * RFC 2595 §4; CVE-2011-0411).
 */
public class LineInput {
    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /** Which line ends a protocol accepts. */
    public enum LineEnd {
        /** CRLF only; a bare LF ends the line as {@link Status#BARE_LF} (SMTP, RFC 5321 §2.3.8). */
        CRLF,
        /** CRLF or a bare LF (a protocol with no message data in its command lines, typed by hand). */
        CRLF_OR_LF
    }

    /** How a line ended. */
    public enum Status {
        /** A complete line; {@link Line#bytes()} holds it without its line end. */
        OK,
        /** Longer than the limit: discarded up to and including its LF, so the stream stays in sync. */
        TOO_LONG,
        /** Ended with a bare LF where only CRLF is accepted ({@link LineEnd#CRLF}); the line is discarded. */
        BARE_LF,
        /** The peer closed the connection (a partial line is dropped). */
        EOF
    }

    /** One line read by {@link #readLine}. */
    public record Line(Status status, byte[] bytes) {}

    private final InputStream in;
    private final IoAction beforeBlocking;
    private final LineEnd lineEnd;
    private final byte[] buf;
    private int pos, limit;

    public LineInput(InputStream in, IoAction beforeBlocking, int bufferSize, LineEnd lineEnd) {
        if (bufferSize < 64) throw new IllegalArgumentException("bufferSize < 64");
        this.in = in;
        this.beforeBlocking = beforeBlocking;
        this.lineEnd = lineEnd;
        this.buf = new byte[bufferSize];
    }

    /** Bytes received and not yet consumed. */
    public final int buffered() {
        return limit - pos;
    }

    /** Drops everything received but not consumed, and returns how many bytes that was. */
    public final int discardBuffered() {
        int n = limit - pos;
        pos = limit = 0;
        return n;
    }

    /**
     * Makes at least one byte available, reading only when none is buffered (then the
     * {@code beforeBlocking} hook runs first); false at end of stream.
     */
    public final boolean fill() throws IOException {
        if (pos < limit) return true;
        beforeBlocking.run();
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    // The buffer window, for readers that scan it in place (SMTP's DataReader):
    // buffer()[position(), limit()) holds the bytes received and not yet consumed. Only fill() may
    // refill it (and only when the window is empty), so a reader must have written out whatever it
    // still needs from the window before calling fill().

    /** The input buffer itself (not a copy). */
    public final byte[] buffer() {
        return buf;
    }

    /** The index of the first byte not yet consumed. */
    public final int position() {
        return pos;
    }

    /** The index after the last byte received. */
    public final int limit() {
        return limit;
    }

    /** Marks the bytes before {@code newPos} consumed; {@code position() <= newPos <= limit()}. */
    public final void position(int newPos) {
        if (newPos < pos || newPos > limit) throw new IllegalArgumentException("position " + newPos + " outside [" + pos + ", " + limit + "]");
        pos = newPos;
    }

    /** One byte, or -1 at end of stream. */
    public final int read() throws IOException {
        if (pos >= limit && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    /** Reads one line of at most {@code max} octets (not counting the line end). */
    public final Line readLine(int max) throws IOException {
        byte[] line = new byte[Math.min(max, 512) + 2];
        int len = 0;
        boolean tooLong = false;
        while (true) {
            if (pos >= limit && !fill()) return new Line(Status.EOF, null);
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
                boolean cr = len > 0 && line[len - 1] == '\r';
                if (!cr && lineEnd == LineEnd.CRLF) return new Line(Status.BARE_LF, null);
                if (cr) len--;
                if (len > max) return new Line(Status.TOO_LONG, null);
                return new Line(Status.OK, Arrays.copyOf(line, len));
            }
        }
    }

    /**
     * Copies exactly {@code n} octets to {@code out} (or drops them when {@code out} is null),
     * binary-safe: an SMTP BDAT chunk (RFC 3030 §2), a literal.
     *
     * @throws EOFException when the connection ends first
     */
    public final void transfer(long n, OutputStream out) throws IOException {
        long left = n;
        while (left > 0) {
            if (pos >= limit && !fill()) throw new EOFException("connection closed inside a counted transfer");
            int k = (int) Math.min(left, limit - pos);
            if (out != null) out.write(buf, pos, k);
            pos += k;
            left -= k;
        }
    }
}
