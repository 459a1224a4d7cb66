package dev.sealpost.smtp.proto;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test of the run-based {@link DataReader} against the byte-at-a-time reader it
 * replaced ({@link ReferenceDataReader}, kept verbatim): for every input both must give the same
 * outcome and size, write the same bytes, leave the same bytes unread in the {@link SmtpInput}
 * (the next commands, with PIPELINING), end with EOFException on the same inputs, and have
 * written the same bytes each time the {@code beforeBlocking} hook runs (the same number of
 * times). Inputs are biased towards dots, CRs, LFs and short lines, the limits are often tiny
 * (zero and negative too), and the network delivers the bytes in short reads of random sizes,
 * so that buffer boundaries fall everywhere (between CR and LF, between "." and CR, ...).
 */
class DataReaderDifferentialTest {

    /** What one reader did with one input. */
    record Run(String outcome, long size, byte[] written, boolean eof, int bufferedAfter, byte[] rest, List<Integer> writtenAtBlocking) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Run r && outcome.equals(r.outcome) && size == r.size && Arrays.equals(written, r.written)
                    && eof == r.eof && bufferedAfter == r.bufferedAfter && Arrays.equals(rest, r.rest)
                    && writtenAtBlocking.equals(r.writtenAtBlocking);
        }

        @Override
        public int hashCode() {
            return Objects.hash(outcome, size, Arrays.hashCode(written), eof, Arrays.hashCode(rest));
        }

        @Override
        public String toString() {
            return "Run[" + outcome + ", size " + size + ", eof " + eof + ", buffered after " + bufferedAfter
                    + ", written " + show(written) + ", rest " + show(rest) + ", written at blocking " + writtenAtBlocking + "]";
        }
    }

    @FunctionalInterface
    interface Reader {
        String read(SmtpInput in, ByteArrayOutputStream out, long maxSize, int maxLine) throws IOException;
    }

    static final Reader NEW = (in, out, maxSize, maxLine) -> {
        DataReader.Result r = DataReader.read(in, out, maxSize, maxLine);
        return r.outcome().name() + "/" + r.size();
    };
    static final Reader OLD = (in, out, maxSize, maxLine) -> {
        ReferenceDataReader.Result r = ReferenceDataReader.read(in, out, maxSize, maxLine);
        return r.outcome().name() + "/" + r.size();
    };

    /**
     * Runs one reader: optionally a command line first (so the data starts inside the buffer, as
     * after "DATA\r\n"), then the data, then drains what is left.
     */
    static Run run(Reader reader, byte[] wire, boolean commandFirst, long chunkSeed, long maxSize, int maxLine) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> writtenAtBlocking = new ArrayList<>();
        SmtpInput in = new SmtpInput(new RandomReads(wire, chunkSeed), () -> writtenAtBlocking.add(out.size()));
        if (commandFirst) {
            assertThat(in.readLine(1000).status()).isEqualTo(SmtpInput.Status.OK);
        }
        writtenAtBlocking.add(-1); // marks the start of the data
        String result;
        boolean eof = false;
        try {
            result = reader.read(in, out, maxSize, maxLine);
        } catch (EOFException e) {
            result = "EOF/" + out.size();
            eof = true;
        }
        writtenAtBlocking.add(-2); // marks the end of the data
        int bufferedAfter = in.buffered();
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) rest.write(b);
        String[] r = result.split("/");
        return new Run(r[0], Long.parseLong(r[1]), out.toByteArray(), eof, bufferedAfter, rest.toByteArray(), writtenAtBlocking);
    }

    static void assertSame(byte[] wire, boolean commandFirst, long chunkSeed, long maxSize, int maxLine) throws IOException {
        Run expected = run(OLD, wire, commandFirst, chunkSeed, maxSize, maxLine);
        Run actual = run(NEW, wire, commandFirst, chunkSeed, maxSize, maxLine);
        if (!actual.equals(expected)) {
            throw new AssertionError("DataReader differs from the reference for input " + show(wire)
                    + " (command first " + commandFirst + ", chunk seed " + chunkSeed + ", maxSize " + maxSize + ", maxLine " + maxLine
                    + ")\n expected " + expected + "\n actual   " + actual);
        }
    }

    @Test
    void randomInputsChunkingAndLimits() throws IOException {
        Random seeds = new Random(0x5EA1_9057L);
        int eofs = 0, outcomes[] = new int[DataReader.Outcome.values().length];
        for (int i = 0; i < 50_000; i++) {
            long seed = seeds.nextLong();
            Random rnd = new Random(seed);
            byte[] wire = randomWire(rnd);
            boolean commandFirst = rnd.nextInt(4) == 0;
            if (commandFirst) {
                byte[] cmd = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
                byte[] w = Arrays.copyOf(cmd, cmd.length + wire.length);
                System.arraycopy(wire, 0, w, cmd.length, wire.length);
                wire = w;
            }
            long maxSize = randomMaxSize(rnd);
            int maxLine = randomMaxLine(rnd);
            try {
                assertSame(wire, commandFirst, rnd.nextLong(), maxSize, maxLine);
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " (seed " + seed + "): " + e.getMessage(), e);
            }
            Run r = run(NEW, wire, commandFirst, 1, maxSize, maxLine);
            if (r.eof()) eofs++;
            else outcomes[DataReader.Outcome.valueOf(r.outcome()).ordinal()]++;
        }
        // the generator reaches every outcome often (so the comparison covers them all)
        assertThat(eofs).isGreaterThan(1000);
        for (int n : outcomes) assertThat(n).isGreaterThan(1000);
    }

    /** Every input of up to 6 octets over {'.', CR, LF, 'a'}, then a real end mark and a next command. */
    @Test
    void allShortInputs() throws IOException {
        byte[] alphabet = {'.', '\r', '\n', 'a'};
        byte[] tail = "\r\n.\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        long[][] limits = {{1_000, 1_000}, {0, 1_000}, {2, 1_000}, {3, 1}, {5, 2}, {1_000, 0}, {-1, -1}};
        for (int len = 0; len <= 6; len++) {
            int[] digits = new int[len];
            for (int count = (int) Math.pow(alphabet.length, len), c = 0; c < count; c++) {
                for (int j = 0, v = c; j < len; j++, v /= alphabet.length) digits[j] = v % alphabet.length;
                byte[] body = new byte[len];
                for (int j = 0; j < len; j++) body[j] = alphabet[digits[j]];
                byte[] withTail = Arrays.copyOf(body, len + tail.length);
                System.arraycopy(tail, 0, withTail, len, tail.length);
                for (long[] l : limits) {
                    assertSame(body, false, -1, l[0], (int) l[1]);     // no end mark: EOF (or an early mark)
                    assertSame(withTail, false, -1, l[0], (int) l[1]); // one octet per read
                    assertSame(withTail, false, c, l[0], (int) l[1]);  // random reads
                }
            }
        }
    }

    /** Runs longer than the 16 KiB input buffer, delivered in full reads and in random ones. */
    @Test
    void longLinesAndMessagesAcrossBufferRefills() throws IOException {
        Random rnd = new Random(42);
        for (int i = 0; i < 25; i++) {
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            int lines = 1 + rnd.nextInt(400);
            for (int j = 0; j < lines; j++) {
                if (rnd.nextInt(10) == 0) w.write('.');
                int len = rnd.nextInt(20) == 0 ? rnd.nextInt(40_000) : rnd.nextInt(120);
                for (int k = 0; k < len; k++) w.write('A' + rnd.nextInt(26));
                w.writeBytes(rnd.nextInt(300) == 0 ? "\n".getBytes(StandardCharsets.US_ASCII) : "\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            w.writeBytes(".\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] wire = w.toByteArray();
            long[] sizes = {Long.MAX_VALUE, wire.length / 2, 1 + rnd.nextInt(wire.length)};
            int[] maxLines = {Integer.MAX_VALUE, 998, 30_000};
            for (long maxSize : sizes) {
                for (int maxLine : maxLines) {
                    assertSame(wire, false, 0, maxSize, maxLine);          // reads as large as the buffer
                    assertSame(wire, false, rnd.nextLong(), maxSize, maxLine);
                }
            }
        }
    }

    private static long randomMaxSize(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextInt(4);
            case 1 -> rnd.nextInt(64);
            case 2 -> rnd.nextInt(300);
            case 3 -> -1 - rnd.nextInt(3);
            case 4 -> Long.MAX_VALUE;
            default -> 1_000 + rnd.nextInt(1_000);
        };
    }

    private static int randomMaxLine(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextInt(4);
            case 1 -> rnd.nextInt(40);
            case 2 -> -1 - rnd.nextInt(2);
            case 3 -> Integer.MAX_VALUE;
            case 4 -> 998;
            default -> 10 + rnd.nextInt(200);
        };
    }

    private static final String[] TOKENS = {
            ".", "\r", "\n", "\r\n", "\r\n", "\r\n", "\r\n.", "\r\n..", ".\r\n", "\r\n.\r\n", "\n.\r\n", "\r.\r\n", "\r\n.\n",
            "\r\n.\r", "..", "\r\r\n", "\n\r\n", "MAIL FROM:<a@b>", "x", "ab", "hello world", "\t", " "};

    /** Data biased towards the octets the state machine cares about, a possible end mark, a suffix. */
    static byte[] randomWire(Random rnd) {
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        int style = rnd.nextInt(10);
        int parts = rnd.nextInt(style == 0 ? 200 : 30);
        for (int i = 0; i < parts; i++) {
            int kind = rnd.nextInt(10);
            if (kind < 5) {
                w.writeBytes(TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
            } else if (kind < 8) { // a short line of text
                int len = rnd.nextInt(rnd.nextInt(6) == 0 ? 300 : 24);
                for (int k = 0; k < len; k++) w.write('a' + rnd.nextInt(26));
                if (rnd.nextInt(4) != 0) w.writeBytes(new byte[] {'\r', '\n'});
            } else if (kind == 8) { // arbitrary octets
                int len = rnd.nextInt(12);
                for (int k = 0; k < len; k++) w.write(rnd.nextInt(256));
            } else { // one octet from the interesting few
                w.write(".\r\n\0\u00ff".charAt(rnd.nextInt(5)));
            }
        }
        if (rnd.nextInt(8) != 0) {
            w.writeBytes((rnd.nextBoolean() ? "\r\n.\r\n" : ".\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        int suffix = rnd.nextInt(4);
        if (suffix == 1) w.writeBytes("RSET\r\nMAIL FROM:<x@y>\r\n".getBytes(StandardCharsets.US_ASCII));
        if (suffix == 2) w.writeBytes(".\r\n\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
        if (suffix == 3) {
            int len = rnd.nextInt(20);
            for (int k = 0; k < len; k++) w.write(".\r\nx".charAt(rnd.nextInt(4)));
        }
        return w.toByteArray();
    }

    static String show(byte[] b) {
        if (b.length > 400) return b.length + " octets " + HexFormat.of().formatHex(b, 0, 400) + "...";
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '"', '\\' -> s.append('\\').append((char) c);
                default -> {
                    if (c >= 0x20 && c < 0x7f) s.append((char) c);
                    else s.append(String.format("\\x%02x", c));
                }
            }
        }
        return s.append('"').toString();
    }

    /**
     * Delivers the input in reads of random sizes (mostly 1 to 8 octets, sometimes up to 100, now and
     * then as much as asked), the same sizes for the same seed; seed 0: as much as asked, seed -1:
     * one octet per read. Never returns 0 (SmtpInput takes that for the end of the stream).
     */
    static final class RandomReads extends InputStream {
        private final byte[] data;
        private final long seed;
        private final Random rnd;
        private int pos;

        RandomReads(byte[] data, long seed) {
            this.data = data;
            this.seed = seed;
            this.rnd = new Random(seed);
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            int want;
            if (seed == 0) want = len;
            else if (seed == -1) want = 1;
            else {
                int kind = rnd.nextInt(10);
                want = kind < 7 ? 1 + rnd.nextInt(8) : kind < 9 ? 1 + rnd.nextInt(100) : len;
            }
            int k = Math.min(Math.min(len, want), data.length - pos);
            System.arraycopy(data, pos, b, off, k);
            pos += k;
            return k;
        }
    }
}
