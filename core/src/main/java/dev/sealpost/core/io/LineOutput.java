package dev.sealpost.core.io;

import java.io.BufferedOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The output half of a line-oriented session (POP3, ManageSieve): responses written as UTF-8
 * lines ending in CRLF into an 8 KiB buffer, flushed when the session is about to wait for the
 * client (RFC 2920 §3 and RFC 2449 §6.6: pipelined commands are answered in one flush), plus the
 * "quiet" forms used on the way out, when the client may already be gone.
 *
 * <p>A response line never holds CR or LF: a line with one is our bug (a value put into a
 * response without its protocol's quoting, which would let a client's data forge a response)
 * and is refused with {@link IllegalArgumentException} before anything is written. Literal data
 * (a ManageSieve script, a POP3 message body through its dot-stuffing writer) goes through
 * {@link #stream()}.
 */
public final class LineOutput implements Flushable {
    private final OutputStream out;

    /** Buffers {@code raw} (8 KiB). */
    public LineOutput(OutputStream raw) {
        this.out = new BufferedOutputStream(Objects.requireNonNull(raw, "raw"), 8192);
    }

    /** {@code s} as UTF-8, then CRLF (RFC 5321 §2.3.8, RFC 1939 §3, RFC 5804 §4). */
    public void line(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') throw new IllegalArgumentException("a response line holds a line break at " + i);
        }
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    /**
     * {@code s} then CRLF, where {@code s} may hold line breaks inside counted literals that the
     * caller framed ({@code {n}CRLF} and n octets: ManageSieve strings, RFC 5804 §4); nothing is
     * checked, so only for text built by the protocol's own encoder.
     */
    public void framedLine(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    /** The buffered stream, for literal data that the protocol frames itself (counted literals, dot-stuffing). */
    public OutputStream stream() {
        return out;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes, ignoring a failure: the connection is going away. */
    public void quietFlush() {
        try {
            out.flush();
        } catch (IOException ignored) {
            // the connection is going away
        }
    }

    /** Writes a last line and flushes, ignoring a failure: the connection is going away. */
    public void quietLine(String s) {
        try {
            line(s);
            out.flush();
        } catch (IOException ignored) {
            // the connection is going away
        }
    }
}
