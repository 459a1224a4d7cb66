package dev.sealpost.smtp.proto;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads the content after DATA up to the end-of-data mark (RFC 5321 §4.1.1.4) and
 * dot-unstuffs it (RFC 5321 §4.5.2).
 *
 * <p><b>Framing is never lenient.</b> Only {@code CRLF "." CRLF} ends the data; the opening
 * CRLF may be the one that ended the DATA command. A bare CR or bare LF anywhere (RFC 5321
 * §2.3.8) marks the message as rejected, but reading goes on to the real end-of-data mark, so
 * that nothing the client sent inside the data (such as a smuggled {@code \n.\r\nMAIL FROM:...})
 * is ever taken as a command (the "SMTP smuggling" attack, CVE-2023-51764/-51765/-51766).
 * Over-long lines and an over-large message are likewise drained to the end, then rejected.
 * Nothing is kept in memory beyond the input buffer: content is written to the sink as it comes.
 *
 * <p><b>Runs of bytes.</b> The reader works in place on the input buffer of {@link SmtpInput}.
 * The text of a line (everything up to its CR or LF) is found with a word-at-a-time search and
 * taken as one run; only line starts, CRs and LFs go through the state machine. Since the
 * content is the input minus the stuffed dots, consecutive lines are written to the sink with one
 * {@code write(byte[], int, int)} per stretch of the buffer between stuffed dots, and before each
 * refill of the buffer (so when the reader blocks, the sink holds exactly what octet-by-octet
 * writing would have given it). The limits are checked octet-exactly: a run is cut at the first
 * octet over a limit, and nothing from there on is written.
 */
public final class DataReader {
    private DataReader() {}

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

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Reads to the end-of-data mark. Once an outcome other than COMPLETE is known, nothing more
     * is written to {@code out}; the caller then discards what the sink holds. What follows the
     * mark stays unread in {@code in} (the next command, with PIPELINING).
     *
     * @param out         the sink; its write errors must not be confused with network errors, so
     *                    the engine passes a stream that records failures instead of throwing
     *                    (should it throw anyway, the exception propagates, and how much input
     *                    was consumed is unspecified)
     * @param maxSize     the most content octets accepted
     * @param maxLine     the longest text line accepted, in octets without CRLF
     * @throws EOFException when the connection ends before the end-of-data mark
     */
    public static Result read(SmtpInput in, OutputStream out, long maxSize, int maxLine) throws IOException {
        Outcome outcome = Outcome.COMPLETE;
        long size = 0;
        int lineLen = 0; // octets of the current line as sent (a stuffed dot included), without CRLF
        int state = LINE_START;
        final byte[] buf = in.buffer();
        int p = in.position(), lim = in.limit(); // buf[p, lim): received, not yet consumed
        int from = p, to = p; // buf[from, to): content accepted but not yet written to out
        while (true) {
            if (p >= lim) {
                // write what the buffer holds before it is refilled (and before blocking)
                if (to > from) out.write(buf, from, to - from);
                in.position(p);
                if (!in.fill()) throw new EOFException("connection closed inside DATA");
                p = in.position();
                lim = in.limit();
                from = to = p;
            }
            if (state == IN_LINE) {
                // line text: a run up to the next CR or LF (or the end of the buffer)
                int end = dev.sealpost.core.io.ByteScan.indexOfCrOrLf(buf, p, lim);
                if (end > p) {
                    int k = end - p;
                    if (outcome == Outcome.COMPLETE) {
                        // how many octets of the run fit the line limit and the size limit, as if
                        // checked octet by octet, the line limit first (with maxLine ==
                        // Integer.MAX_VALUE no line is too long, even once the int lineLen wraps)
                        long lineRoom = maxLine == Integer.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, (long) maxLine - lineLen);
                        long sizeRoom = Math.max(0, maxSize - size);
                        int n = (int) Math.min(k, Math.min(lineRoom, sizeRoom));
                        if (n > 0) {
                            if (p != to) { // not contiguous with the pending output (a dot was dropped)
                                if (to > from) out.write(buf, from, to - from);
                                from = p;
                            }
                            to = p + n;
                            size += n;
                        }
                        if (n < k) {
                            outcome = n == lineRoom ? Outcome.LINE_TOO_LONG : Outcome.TOO_LARGE;
                        }
                    }
                    lineLen += k;
                    p = end;
                    if (p >= lim) continue;
                }
            }
            int b = buf[p] & 0xff;
            boolean bare = false;
            boolean crlf = false; // a CRLF to write for this input octet
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
                        state = IN_LINE; // line text (lineLen is 0 here): taken as a run above
                        continue;
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = DOT_CR;
                    } else if (b == '\n') {
                        bare = true;
                        state = IN_LINE;
                    } else {
                        // the stuffed dot is dropped but counts towards the line length; the
                        // rest of the line is taken as a run above
                        lineLen = 1;
                        state = IN_LINE;
                        continue;
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        // RFC 5321 §4.1.1.4: CRLF "." CRLF - the only end of the data
                        in.position(p + 1);
                        if (to > from) out.write(buf, from, to - from);
                        return new Result(outcome, size);
                    }
                    bare = true; // ".\r" + something other than LF: bare CR
                    if (b == '\r') {
                        state = SAW_CR;
                    } else {
                        state = IN_LINE;
                    }
                }
                case IN_LINE -> { // the run above stopped at a CR or LF
                    if (b == '\r') {
                        state = SAW_CR;
                    } else {
                        bare = true; // stays IN_LINE: never a line start
                    }
                }
                case SAW_CR -> {
                    if (b == '\n') {
                        crlf = true;
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
            p++;
            if (bare) {
                outcome = Outcome.BARE_CR_OR_LF; // framing errors win over other outcomes
            }
            if (outcome != Outcome.COMPLETE) continue;
            if (lineLen > maxLine) {
                outcome = Outcome.LINE_TOO_LONG;
                continue;
            }
            if (!crlf) continue;
            if (size + 2 > maxSize) {
                outcome = Outcome.TOO_LARGE;
                continue;
            }
            size += 2;
            // the CR was consumed right before this LF: in this buffer unless it was refilled in between
            int cr = p - 2;
            if (cr >= 0) {
                if (cr != to) {
                    if (to > from) out.write(buf, from, to - from);
                    from = cr;
                }
                to = p;
            } else {
                if (to > from) out.write(buf, from, to - from);
                out.write(CRLF, 0, 2);
                from = to = p;
            }
        }
    }
}
