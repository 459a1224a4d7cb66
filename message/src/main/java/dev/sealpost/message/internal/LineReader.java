package dev.sealpost.message.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message line by line, keeping only a bounded prefix of each line, and tracks absolute
 * offsets. A line ends at LF; a CR right before it is part of the line end (CRLF). Leniency: a
 * bare LF also ends a line (mbox files and some local injectors store LF-only mail); it is
 * counted in {@link #bareLineFeeds}. A bare CR is ordinary content.
 */
final class LineReader {
    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    /** Absolute offset of {@code buf[pos]}: everything before it has been read. */
    private long offset;

    /** The first {@link #stored} octets of the current line's content (line end excluded). */
    final byte[] line;
    int stored;
    /** Offset of the current line's first octet. */
    long start;
    /** Length of the current line without its line end. */
    long contentLength;
    /** 2 for CRLF, 1 for a bare LF, 0 for a last line without line end. */
    int termLength;
    /** True when the octets of the line beyond {@link #stored} are all SP, HTAB or CR. */
    boolean tailBlank;
    /** 1-based number of the current line (after EOF: the number of lines). */
    long lineNumber;
    /** Line end and content length of the line before the current one. */
    int prevTermLength;
    long prevContentLength;
    boolean bareLineFeeds;

    LineReader(InputStream in, int capacity) {
        this.in = in;
        this.line = new byte[capacity];
    }

    /** Absolute offset of the next unread octet (after EOF: the message size). */
    long offset() {
        return offset;
    }

    /** Reads the next line; false at end of input (no octet left). */
    boolean next() throws IOException {
        prevTermLength = termLength;
        prevContentLength = contentLength;
        start = offset;
        stored = 0;
        contentLength = 0;
        termLength = 0;
        tailBlank = true;
        boolean any = false;
        int last = -1;
        while (true) {
            if (pos == lim && !fill()) break;
            int i = pos;
            while (i < lim && buf[i] != '\n') i++;
            int n = i - pos;
            if (n > 0) {
                any = true;
                int keep = Math.min(n, line.length - stored);
                System.arraycopy(buf, pos, line, stored, keep);
                stored += keep;
                for (int j = pos + keep; j < i && tailBlank; j++) {
                    byte b = buf[j];
                    tailBlank = b == ' ' || b == '\t' || b == '\r';
                }
                contentLength += n;
                last = buf[i - 1];
                offset += n;
                pos = i;
            }
            if (i < lim) { // LF
                any = true;
                pos++;
                offset++;
                if (last == '\r') {
                    termLength = 2;
                    contentLength--;
                    if (stored > contentLength) stored = (int) contentLength;
                } else {
                    termLength = 1;
                    bareLineFeeds = true;
                }
                break;
            }
        }
        if (!any) {
            // keep the previous line's figures for the caller's end-of-body arithmetic
            termLength = prevTermLength;
            contentLength = prevContentLength;
            return false;
        }
        lineNumber++;
        return true;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            pos = lim = 0;
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    /** True when the whole line was kept in {@link #line}. */
    boolean complete() {
        return stored == contentLength;
    }
}
