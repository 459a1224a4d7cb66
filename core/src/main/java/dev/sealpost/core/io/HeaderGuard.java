package dev.sealpost.core.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Bounds the header section of a message on its way to the sink (DATA content after
 * unstuffing, or the BDAT chunks): at most {@code maxSize} octets and {@code maxFields} header
 * fields (RFC 5322 §2.2: a field starts on a line that does not begin with white space; §2.2.3:
 * a line beginning with SP or HTAB continues the field before it). The header section ends at
 * the first empty line (RFC 5322 §2.1), or, as Postfix does, at the first line that is not a
 * header field: one whose first character is not white space and which does not start with a
 * field name (RFC 5322 §3.6.8 ftext, printable US-ASCII but ":") followed by optional white
 * space (the obsolete syntax of §4.5) and a colon. A message whose sender left out the empty
 * line (or wrote none, such as a body alone) is then not taken for one huge header.
 *
 * <p>Streaming: nothing is held; bytes are looked at one by one only until the header section
 * ends, after which each write is passed on with one test (the body costs nothing extra, so the
 * DATA reader keeps its speed). Once a limit is exceeded nothing more is written to the target
 * (the engine discards the message at the end of the data and answers {@code 552 5.3.4}); the
 * data is still read to its end, so the session stays in sync and goes on.
 */
public final class HeaderGuard extends OutputStream {
    /** Why the header was refused. */
    public enum Outcome {
        WITHIN,
        /** More than {@code maxSize} octets before the empty line. */
        TOO_LARGE,
        /** More than {@code maxFields} header fields. */
        TOO_MANY_FIELDS
    }

    private final OutputStream target;
    private final long maxSize;
    private final int maxFields;
    private boolean body;
    private boolean lineStart = true;
    private boolean blankCr; // a CR at the start of a line: CRLF here is the empty line
    /** Inside a line's field name (before its colon): 0 no, 1 name characters, 2 white space after the name. */
    private int inName;
    private long size;
    private int fields;
    private Outcome outcome = Outcome.WITHIN;

    public HeaderGuard(OutputStream target, long maxSize, int maxFields) {
        if (maxSize < 1 || maxFields < 1) throw new IllegalArgumentException("header limits must be positive");
        this.target = target;
        this.maxSize = maxSize;
        this.maxFields = maxFields;
    }

    /** WITHIN unless a limit was exceeded. */
    public Outcome outcome() {
        return outcome;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (body) {
            target.write(b, off, len);
            return;
        }
        if (outcome != Outcome.WITHIN) return;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (++size > maxSize) {
                outcome = Outcome.TOO_LARGE;
                return;
            }
            byte c = b[i];
            if (blankCr) {
                blankCr = false;
                if (c == '\n') { // RFC 5322 §2.1: the empty line ends the header section
                    body = true;
                    target.write(b, off, len);
                    return;
                }
                lineStart = false;
            }
            if (lineStart) {
                lineStart = false;
                if (c == '\r') {
                    blankCr = true;
                } else if (c == '\n') { // a bare LF empty line (BDAT content is not checked for CRLF)
                    body = true;
                    target.write(b, off, len);
                    return;
                } else if (c != ' ' && c != '\t') { // RFC 5322 §2.2.3: WSP continues a field
                    if (!ftext(c)) { // not a field: the body starts on this line
                        body = true;
                        target.write(b, off, len);
                        return;
                    }
                    if (++fields > maxFields) {
                        outcome = Outcome.TOO_MANY_FIELDS;
                        return;
                    }
                    inName = 1;
                }
            } else if (inName != 0) {
                if (c == ':') {
                    inName = 0;
                } else if (c == ' ' || c == '\t') {
                    inName = 2; // RFC 5322 §4.5.3: obs-optional allows WSP before the colon
                } else if (inName == 2 || !ftext(c)) { // RFC 5322 §3.6.8: field-name = 1*ftext
                    fields--; // it was not a field after all: the body starts on this line
                    body = true;
                    target.write(b, off, len);
                    return;
                }
            }
            if (c == '\n') lineStart = true;
        }
        target.write(b, off, len);
    }

    /** RFC 5322 §3.6.8: ftext = %d33-57 / %d59-126 (printable US-ASCII but ":"). */
    private static boolean ftext(byte c) {
        return c >= 33 && c <= 126 && c != ':';
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }
}
