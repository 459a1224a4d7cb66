package dev.sealpost.imap.proto;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz target for {@link CommandReader}: an arbitrary byte stream from a client, read command
 * after command with small and with default limits, and with every literal accepted or every
 * literal refused. Properties:
 * <ul>
 *   <li>only {@link CommandReader.ReadError} is thrown (no runtime exception), and reading ends
 *       (each call consumes input or reports the end);</li>
 *   <li>a command has a valid tag (RFC 9051 §9: ASTRING-CHAR except "+") and an upper-case name;</li>
 *   <li>arguments respect the argument-count and nesting limits; no literal exceeds its limit;
 *       only a literal8 holds NUL; atoms hold only visible ASCII;</li>
 *   <li>when literals are refused, no command with a literal is ever returned and no
 *       continuation is sent.</li>
 * </ul>
 * Seeds: {@code src/test/resources/dev/sealpost/imap/proto/CommandReaderFuzzTestInputs/read/}.
 */
class CommandReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void read(byte[] input) throws IOException {
        ReaderLimits small = new ReaderLimits(64, 40, 100, 150, 200, 3, 12, true);
        for (ReaderLimits limits : new ReaderLimits[] {small, ReaderLimits.defaults()}) {
            for (boolean refuse : new boolean[] {false, true}) {
                run(input, limits, refuse);
            }
        }
    }

    private static void run(byte[] input, ReaderLimits limits, boolean refuse) throws IOException {
        int[] continuations = {0};
        CommandReader.LiteralGate gate = (tag, name, size, nonSync) -> refuse
                ? CommandReader.LiteralDecision.refuse(false, null, "no literals") : CommandReader.LiteralDecision.ACCEPT;
        CommandReader r = new CommandReader(new ByteArrayInputStream(input), limits, gate, () -> continuations[0]++);
        for (int calls = 0; ; calls++) {
            check(calls <= input.length + 1, "reader does not make progress");
            Command c;
            try {
                c = r.read();
            } catch (CommandReader.ReadError e) {
                check(e.text() != null && !e.text().isEmpty(), "error without text");
                check(e.tag() == null || validTag(e.tag()), "error with invalid tag %s", e.tag());
                continue;
            }
            if (c == null) break;
            check(validTag(c.tag()), "invalid tag %s", c.tag());
            check(c.name().matches("[A-Z0-9._-]+"), "invalid name %s", c.name());
            int[] count = {0};
            for (Arg a : c.args()) checkArg(a, 0, limits, c.name(), refuse, count);
            check(count[0] <= limits.maxArgs(), "%s arguments", count[0]);
        }
        if (refuse) check(continuations[0] == 0, "continuation sent for a refused literal");
    }

    private static void checkArg(Arg a, int depth, ReaderLimits limits, String name, boolean refuse, int[] count) {
        count[0]++;
        switch (a) {
            case Arg.Atom at -> {
                check(!at.value().isEmpty(), "empty atom");
                for (char ch : at.value().toCharArray()) check(ch > 0x20 && ch < 0x7f || ch == ' ', "atom char U+%04X", (int) ch);
                check(at.value().charAt(0) != ' ', "atom starts with space");
            }
            case Arg.Str s -> {
                if (s.literal()) {
                    check(!refuse, "literal returned although refused");
                    long max = name.equals("APPEND") ? limits.maxAppendLiteral() : limits.maxLiteral();
                    check(s.value().length <= max, "literal of %s octets", s.value().length);
                }
                if (!s.binary()) for (byte b : s.value()) check(b != 0, "NUL outside literal8");
                if (!s.literal()) for (byte b : s.value()) check(b != '\r' && b != '\n', "CR/LF in quoted string");
            }
            case Arg.ListArg l -> {
                check(depth + 1 <= limits.maxDepth(), "nesting %s", depth + 1);
                for (Arg x : l.items()) checkArg(x, depth + 1, limits, name, refuse, count);
            }
        }
    }

    private static boolean validTag(String tag) {
        if (tag.isEmpty()) return false;
        for (char ch : tag.toCharArray()) {
            if (ch <= 0x20 || ch >= 0x7f || "(){%*\"\\+".indexOf(ch) >= 0) return false;
        }
        return true;
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
