package dev.sealpost.smtp.proto;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Fuzz target for the DATA reader ({@link DataReader#read}) over arbitrary byte streams,
 * checked against a reference model written from RFC 5321 directly (whole-input, line-based,
 * nothing shared with the state machine):
 * <ul>
 *   <li>the end of the data is the first {@code "." CRLF} at the start of a line, where a line
 *       starts at the beginning of the data or right after a CRLF (RFC 5321 §4.1.1.4); the
 *       reader consumes exactly up to it and leaves the rest in the input (what follows is the
 *       next command: a different end is an SMTP smuggling bug). No such mark: EOFException;</li>
 *   <li>content with a bare CR or bare LF (RFC 5321 §2.3.8) is never COMPLETE: a smuggled
 *       {@code \n.\r\n} or {@code \r.\r\n} never ends the data and never yields a clean message;</li>
 *   <li>a COMPLETE result has exactly the model's dot-unstuffed content (RFC 5321 §4.5.2) and
 *       size; otherwise the reason is one the model also sees (line over the limit, content over
 *       the limit) and the output is a prefix of the model's;</li>
 *   <li>output never exceeds the size limit, and the result size is what was written.</li>
 * </ul>
 * Each input runs with small and with realistic limits, fed whole and in 1- and 3-byte reads.
 * Seeds: {@code src/test/resources/dev/sealpost/smtp/proto/DataReaderFuzzTestInputs/read/}.
 */
class DataReaderFuzzTest {

    /** What RFC 5321 says the reader must do with {@code in}. */
    record Model(int end, boolean bare, boolean lineTooLong, byte[] content) {}

    static Model model(byte[] in, int maxLine) {
        int end = -1;
        for (int p = 0; p + 2 < in.length; p++) {
            boolean lineStart = p == 0 || (p >= 2 && in[p - 2] == '\r' && in[p - 1] == '\n');
            if (lineStart && in[p] == '.' && in[p + 1] == '\r' && in[p + 2] == '\n') {
                end = p;
                break;
            }
        }
        if (end < 0) return new Model(-1, false, false, null);
        boolean bare = false;
        for (int i = 0; i < end; i++) {
            if (in[i] == '\r' && (i + 1 >= end || in[i + 1] != '\n')) bare = true;
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) bare = true;
        }
        // content[0, end) is a sequence of CRLF-terminated lines when there is no bare CR/LF
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean tooLong = false;
        int start = 0;
        while (!bare && start < end) {
            int crlf = start;
            while (!(in[crlf] == '\r' && in[crlf + 1] == '\n')) crlf++;
            int len = crlf - start; // the line as sent, a stuffed dot included
            if (len > maxLine) tooLong = true;
            int from = len > 0 && in[start] == '.' ? start + 1 : start; // RFC 5321 §4.5.2
            out.write(in, from, crlf - from);
            out.write('\r');
            out.write('\n');
            start = crlf + 2;
        }
        return new Model(end, bare, tooLong, out.toByteArray());
    }

    @FuzzTest(maxDuration = "60s")
    void read(byte[] data) throws IOException {
        for (int[] limits : new int[][] {{64, 16}, {1 << 20, 998}}) {
            Model m = model(data, limits[1]);
            for (int chunk : new int[] {Integer.MAX_VALUE, 1, 3}) {
                check(data, m, limits[0], limits[1], chunk);
            }
        }
    }

    private static void check(byte[] data, Model m, long maxSize, int maxLine, int chunk) throws IOException {
        SmtpInput in = new SmtpInput(new Chunked(data, chunk), () -> {});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataReader.Result r;
        try {
            r = DataReader.read(in, out, maxSize, maxLine);
        } catch (EOFException e) {
            if (m.end() >= 0) throw new AssertionError("EOF although the end-of-data mark is at " + m.end());
            check(out.size() <= maxSize, "wrote %s > %s before EOF", out.size(), maxSize);
            return;
        }
        check(m.end() >= 0, "ended (%s) without an end-of-data mark in the input", r);
        // exactly the data and the mark were consumed: what follows is left for the command reader
        byte[] rest = new byte[data.length];
        int n = 0;
        for (int b; (b = in.read()) >= 0; ) rest[n++] = (byte) b;
        check(Arrays.equals(Arrays.copyOf(rest, n), Arrays.copyOfRange(data, m.end() + 3, data.length)),
                "consumed to the wrong place (model end %s, %s octets left)", m.end(), n);
        check(out.size() <= maxSize, "wrote %s octets, limit %s", out.size(), maxSize);
        check(r.size() == out.size(), "size %s but wrote %s", r.size(), out.size());
        if (m.bare()) {
            check(r.outcome() == DataReader.Outcome.BARE_CR_OR_LF, "bare CR/LF in the data gave %s", r.outcome());
            return;
        }
        byte[] written = out.toByteArray();
        byte[] expected = m.content();
        boolean tooLarge = expected.length > maxSize;
        switch (r.outcome()) {
            case COMPLETE -> {
                check(!m.lineTooLong() && !tooLarge, "COMPLETE though the model has a line too long (%s) or too much content (%s)",
                        m.lineTooLong(), tooLarge);
                check(Arrays.equals(written, expected), "content differs from the model");
            }
            case BARE_CR_OR_LF -> throw new AssertionError("BARE_CR_OR_LF without a bare CR or LF");
            case LINE_TOO_LONG -> check(m.lineTooLong(), "LINE_TOO_LONG though no line is over %s", maxLine);
            case TOO_LARGE -> check(tooLarge, "TOO_LARGE though the content is %s octets", expected.length);
        }
        check(Arrays.equals(written, Arrays.copyOf(expected, written.length)), "output is not a prefix of the model's content");
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }

    /** Delivers the input at most {@code chunk} octets per read, like a slow network. */
    static final class Chunked extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        Chunked(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            int k = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, k);
            pos += k;
            return k;
        }
    }
}
