package dev.sealpost.smtp.proto;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * TEST ORACLE: the byte-at-a-time DATA reader as it was before {@link DataReader} was rewritten
 * to work on runs of bytes, kept verbatim (only the class name and visibility changed) so that
 * {@link DataReaderDifferentialTest} can prove the rewrite equivalent. Do not "improve" it.
 *
 * <p>Reads the content after DATA up to the end-of-data mark (RFC 5321 §4.1.1.4) and
 * dot-unstuffs it (RFC 5321 §4.5.2).
 *
 * <p><b>Framing is never lenient.</b> Only {@code CRLF "." CRLF} ends the data; the opening
 * CRLF may be the one that ended the DATA command. A bare CR or bare LF anywhere (RFC 5321
 * §2.3.8) marks the message as rejected, but reading goes on to the real end-of-data mark, so
 * that nothing the client sent inside the data (such as a smuggled {@code \n.\r\nMAIL FROM:...})
 * is ever taken as a command (the "SMTP smuggling" attack, CVE-2023-51764/-51765/-51766).
 * Over-long lines and an over-large message are likewise drained to the end, then rejected.
 * Nothing is kept in memory beyond the input buffer: content is written to the sink as it comes.
 */
final class ReferenceDataReader {
    private ReferenceDataReader() {}

    /** Why the content was refused, or COMPLETE. */
    public enum Outcome {
        COMPLETE,
        /** A CR not followed by LF, or an LF not preceded by CR. */
        BARE_CR_OR_LF,
        /** A line longer than the limit (RFC 5321 §4.5.3.1.6). */
        LINE_TOO_LONG,
        /** More content than the size limit (RFC 1870). */
        TOO_LARGE
    }

    /**
     * @param outcome how it ended
     * @param size    content octets written to the sink (after unstuffing, with CRLFs)
     */
    public record Result(Outcome outcome, long size) {}

    private static final int LINE_START = 0, IN_LINE = 1, SAW_CR = 2, DOT = 3, DOT_CR = 4;

    /**
     * Reads to the end-of-data mark. Once an outcome other than COMPLETE is known, nothing more
     * is written to {@code out}; the caller then discards what the sink holds.
     *
     * @param out         the sink; its write errors must not be confused with network errors, so
     *                    the engine passes a stream that records failures instead of throwing
     * @param maxSize     the most content octets accepted
     * @param maxLine     the longest text line accepted, in octets without CRLF
     * @throws EOFException when the connection ends before the end-of-data mark
     */
    public static Result read(SmtpInput in, OutputStream out, long maxSize, int maxLine) throws IOException {
        Outcome outcome = Outcome.COMPLETE;
        long size = 0;
        int lineLen = 0;
        int state = LINE_START;
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed inside DATA");
            boolean bare = false;
            int emit1 = -1, emit2 = -1; // up to two octets to write for this input octet
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = DOT; // RFC 5321 §4.5.2: a leading dot is removed (or ends the data)
                    } else if (b == '\r') {
                        state = SAW_CR;
                    } else if (b == '\n') {
                        bare = true;
                        state = IN_LINE; // a bare LF does not start a line: ".\r\n" after it is content
                    } else {
                        emit1 = b;
                        lineLen = 1;
                        state = IN_LINE;
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = DOT_CR;
                    } else if (b == '\n') {
                        bare = true;
                        state = IN_LINE;
                    } else {
                        emit1 = b; // the stuffed dot is dropped
                        lineLen = 2;
                        state = IN_LINE;
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        // RFC 5321 §4.1.1.4: CRLF "." CRLF - the only end of the data
                        return new Result(outcome, size);
                    }
                    bare = true; // ".\r" + something other than LF: bare CR
                    if (b == '\r') {
                        state = SAW_CR;
                    } else {
                        state = IN_LINE;
                    }
                }
                case IN_LINE -> {
                    if (b == '\r') {
                        state = SAW_CR;
                    } else if (b == '\n') {
                        bare = true; // stays IN_LINE: never a line start
                    } else {
                        emit1 = b;
                        lineLen++;
                    }
                }
                case SAW_CR -> {
                    if (b == '\n') {
                        emit1 = '\r';
                        emit2 = '\n';
                        state = LINE_START;
                        lineLen = 0;
                    } else {
                        bare = true; // the previous CR was bare
                        if (b != '\r') {
                            state = IN_LINE;
                            lineLen++;
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
            if (bare) {
                outcome = Outcome.BARE_CR_OR_LF; // framing errors win over other outcomes
            }
            if (outcome != Outcome.COMPLETE) continue;
            if (lineLen > maxLine) {
                outcome = Outcome.LINE_TOO_LONG;
                continue;
            }
            int n = (emit1 >= 0 ? 1 : 0) + (emit2 >= 0 ? 1 : 0);
            if (n == 0) continue;
            if (size + n > maxSize) {
                outcome = Outcome.TOO_LARGE;
                continue;
            }
            out.write(emit1);
            if (emit2 >= 0) out.write(emit2);
            size += n;
        }
    }
}
