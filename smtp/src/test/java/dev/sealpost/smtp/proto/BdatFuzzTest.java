package dev.sealpost.smtp.proto;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the BDAT framing (RFC 3030 §2): the command-line reader
 * ({@link SmtpInput#readLine}), the BDAT command parser and the binary chunk reader
 * ({@link SmtpInput#transfer}), driven the way the session engine drives them: read a line;
 * when it is a BDAT command, the next {@code chunk-size} octets are message content whatever
 * they hold, and the line after them is the next command.
 *
 * <p>A reference model splits the same bytes from RFC 3030 / RFC 5321 directly; the sequence of
 * (line status, line, chunk) events must be identical, whatever the read sizes of the network.
 * A difference means commands could be hidden inside a chunk or chunk bytes taken as commands.
 * The line limit is small (32) and realistic (1000). Chunks of more than 1 MiB are not
 * accepted in the model (the engine refuses them by size before reading); the run stops there.
 * Seeds: {@code src/test/resources/dev/sealpost/smtp/proto/BdatFuzzTestInputs/stream/}.
 */
class BdatFuzzTest {
    private static final long MAX_CHUNK = 1 << 20;

    /** One step of the command loop: a line and, after a BDAT line, its chunk (or "EOF" inside it). */
    record Event(SmtpInput.Status status, String line, String chunk) {}

    /** The model: lines end at LF; OK only with CR before it and at most max octets before the CR. */
    static List<Event> model(byte[] in, int max) {
        List<Event> events = new ArrayList<>();
        int pos = 0;
        while (true) {
            int lf = -1;
            for (int i = pos; i < in.length; i++) {
                if (in[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            if (lf < 0) {
                events.add(new Event(SmtpInput.Status.EOF, null, null)); // a partial line is dropped
                return events;
            }
            int raw = lf - pos; // octets before the LF
            SmtpInput.Status st;
            if (raw > max + 1) st = SmtpInput.Status.TOO_LONG;  // RFC 5321 §4.5.3.1.4 (with our limit)
            else if (raw == 0 || in[lf - 1] != '\r') st = SmtpInput.Status.BARE_LF; // RFC 5321 §2.3.8
            else st = SmtpInput.Status.OK;
            byte[] line = st == SmtpInput.Status.OK ? Arrays.copyOfRange(in, pos, lf - 1) : null;
            pos = lf + 1;
            String chunk = null;
            if (line != null && SmtpCommand.parse(line, false) instanceof SmtpCommand.Parsed(SmtpCommand.Bdat b)) {
                if (b.size() > MAX_CHUNK) {
                    events.add(new Event(st, latin1(line), "TOO_BIG"));
                    return events;
                }
                if (b.size() > in.length - pos) {
                    events.add(new Event(st, latin1(line), "EOF"));
                    return events;
                }
                chunk = latin1(Arrays.copyOfRange(in, pos, pos + (int) b.size()));
                pos += (int) b.size();
            }
            events.add(new Event(st, line == null ? null : latin1(line), chunk));
        }
    }

    /** The real readers, as the engine uses them. */
    static List<Event> actual(byte[] data, int max, int readSize) throws IOException {
        SmtpInput in = new SmtpInput(new DataReaderFuzzTest.Chunked(data, readSize), () -> {});
        List<Event> events = new ArrayList<>();
        while (true) {
            SmtpInput.Line l = in.readLine(max);
            if (l.status() == SmtpInput.Status.OK) {
                if (l.bytes().length > max) throw new AssertionError("line of " + l.bytes().length + " > " + max);
            } else if (l.bytes() != null) {
                throw new AssertionError("bytes with status " + l.status());
            }
            if (l.status() == SmtpInput.Status.EOF) {
                events.add(new Event(SmtpInput.Status.EOF, null, null));
                return events;
            }
            String chunk = null;
            if (l.status() == SmtpInput.Status.OK
                    && SmtpCommand.parse(l.bytes(), false) instanceof SmtpCommand.Parsed(SmtpCommand.Bdat b)) {
                if (b.size() > MAX_CHUNK) {
                    events.add(new Event(l.status(), latin1(l.bytes()), "TOO_BIG"));
                    return events;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    in.transfer(b.size(), out);
                } catch (EOFException e) {
                    events.add(new Event(l.status(), latin1(l.bytes()), "EOF"));
                    return events;
                }
                if (out.size() != b.size()) throw new AssertionError("transferred " + out.size() + " of " + b.size());
                chunk = latin1(out.toByteArray());
            }
            events.add(new Event(l.status(), l.bytes() == null ? null : latin1(l.bytes()), chunk));
        }
    }

    @FuzzTest(maxDuration = "60s")
    void stream(byte[] data) throws IOException {
        for (int max : new int[] {32, 1000}) {
            List<Event> expected = model(data, max);
            for (int readSize : new int[] {Integer.MAX_VALUE, 1, 5}) {
                List<Event> got = actual(data, max, readSize);
                if (!got.equals(expected)) {
                    throw new AssertionError("line limit " + max + ", reads of " + readSize + ":\n got      " + got
                            + "\n expected " + expected);
                }
            }
        }
    }

    private static String latin1(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
