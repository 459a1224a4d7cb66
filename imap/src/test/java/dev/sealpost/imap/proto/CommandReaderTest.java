package dev.sealpost.imap.proto;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandReaderTest {

    /** A reader over {@code input} that records continuations and literal-gate calls. */
    private static final class Fixture {
        final List<String> events = new ArrayList<>();
        final CommandReader reader;

        Fixture(String input, ReaderLimits limits, CommandReader.LiteralGate gate) {
            this(input.getBytes(StandardCharsets.ISO_8859_1), limits, gate);
        }

        Fixture(byte[] input, ReaderLimits limits, CommandReader.LiteralGate gate) {
            CommandReader.LiteralGate g = (tag, name, size, nonSync) -> {
                events.add("gate " + tag + " " + name + " " + size + (nonSync ? "+" : ""));
                return gate == null ? CommandReader.LiteralDecision.ACCEPT : gate.onLiteral(tag, name, size, nonSync);
            };
            reader = new CommandReader(new ByteArrayInputStream(input), limits, g, () -> events.add("+"));
        }

        Fixture(String input) {
            this(input, ReaderLimits.defaults(), null);
        }
    }

    private static Arg.Atom atom(String s) {
        return new Arg.Atom(s);
    }

    private static String str(Arg a) {
        return ((Arg.Str) a).text();
    }

    @Test
    void simpleCommandsAndNames() throws Exception {
        Fixture f = new Fixture("a1 login joe \"se\\\"cr\\\\et\"\r\nA2 uid fetch 1:* (FLAGS UID)\r\nx noop\n");
        Command c = f.reader.read();
        assertThat(c.tag()).isEqualTo("a1");
        assertThat(c.name()).isEqualTo("LOGIN");
        assertThat(c.args()).hasSize(2);
        assertThat(c.args().get(0)).isEqualTo(atom("joe"));
        assertThat(str(c.args().get(1))).isEqualTo("se\"cr\\et");
        Command u = f.reader.read();
        assertThat(u.name()).isEqualTo("UID");
        assertThat(u.args()).containsExactly(atom("fetch"), atom("1:*"),
                new Arg.ListArg(List.of(atom("FLAGS"), atom("UID"))));
        Command n = f.reader.read(); // bare LF accepted
        assertThat(n).isEqualTo(new Command("x", "NOOP", List.of()));
        assertThat(f.reader.read()).isNull();
        assertThat(f.events).isEmpty();
    }

    @Test
    void flagsNilAndNestedLists() throws Exception {
        Fixture f = new Fixture("t STORE 1 +FLAGS (\\Seen $Junk) NIL ((a) (b c)) ()\r\n");
        Command c = f.reader.read();
        assertThat(c.args()).containsExactly(atom("1"), atom("+FLAGS"),
                new Arg.ListArg(List.of(atom("\\Seen"), atom("$Junk"))), atom("NIL"),
                new Arg.ListArg(List.of(new Arg.ListArg(List.of(atom("a"))), new Arg.ListArg(List.of(atom("b"), atom("c"))))),
                new Arg.ListArg(List.of()));
    }

    @Test
    void fetchAttributeWithSectionStaysOneAtom() throws Exception {
        Fixture f = new Fixture("f1 FETCH 1 (BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100> BINARY[1.2] BODY[]) BODY[HEADER.FIELDS (\"X]\" Y)]\r\n"
                + "f2 SELECT [Gmail]/Sent\r\nf3 LIST \"\" [x\r\n");
        Command c = f.reader.read();
        assertThat(c.args()).containsExactly(atom("1"),
                new Arg.ListArg(List.of(atom("BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100>"), atom("BINARY[1.2]"), atom("BODY[]"))),
                atom("BODY[HEADER.FIELDS (\"X]\" Y)]"));
        assertThat(f.reader.read().args()).containsExactly(atom("[Gmail]/Sent"));
        // '[' without a matching ']' on the line is an ordinary atom character
        assertThat(f.reader.read().args()).hasSize(2).last().isEqualTo(atom("[x"));
    }

    @Test
    void synchronizingLiteralAsksGateThenSendsContinuation() throws Exception {
        Fixture f = new Fixture("a LOGIN {3}\r\njoe {4}\r\npa\"s\r\nb NOOP\r\n");
        Command c = f.reader.read();
        assertThat(c.name()).isEqualTo("LOGIN");
        assertThat(c.args()).hasSize(2);
        Arg.Str user = (Arg.Str) c.args().get(0);
        assertThat(user.text()).isEqualTo("joe");
        assertThat(user.literal()).isTrue();
        assertThat(str(c.args().get(1))).isEqualTo("pa\"s");
        assertThat(f.events).containsExactly("gate a LOGIN 3", "+", "gate a LOGIN 4", "+");
        assertThat(f.reader.read().name()).isEqualTo("NOOP");
    }

    @Test
    void nonSynchronizingLiteralSendsNoContinuation() throws Exception {
        Fixture f = new Fixture("a APPEND INBOX (\\Seen) {5+}\r\nhello\r\n");
        Command c = f.reader.read();
        assertThat(c.args()).hasSize(3);
        assertThat(str(c.args().get(2))).isEqualTo("hello");
        assertThat(f.events).containsExactly("gate a APPEND 5+");
    }

    @Test
    void literalInsideListAndEmptyLiteral() throws Exception {
        Fixture f = new Fixture("a ID (\"name\" {2+}\r\nxy \"v\" {0}\r\n)\r\n");
        Command c = f.reader.read();
        Arg.ListArg l = (Arg.ListArg) c.args().get(0);
        assertThat(l.items()).hasSize(4);
        assertThat(str(l.items().get(1))).isEqualTo("xy");
        assertThat(str(l.items().get(3))).isEmpty();
        assertThat(f.events).containsExactly("gate a ID 2+", "gate a ID 0", "+");
    }

    @Test
    void binaryLiteralMayHoldNulButOrdinaryLiteralMayNot() throws Exception {
        byte[] in = "a APPEND INBOX ~{3}\r\na\0b\r\nb APPEND INBOX {3+}\r\na\0b\r\nc NOOP\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Fixture f = new Fixture(in, ReaderLimits.defaults(), null);
        Command c = f.reader.read();
        Arg.Str s = (Arg.Str) c.args().get(1);
        assertThat(s.binary()).isTrue();
        assertThat(s.value()).containsExactly('a', 0, 'b');
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class, e -> {
            assertThat(e.tag()).isEqualTo("b");
            assertThat(e.fatal()).isFalse();
            assertThat(e.response()).startsWith("b BAD ");
        });
        assertThat(f.reader.read().name()).isEqualTo("NOOP");
    }

    @Test
    void oversizedSynchronizingLiteralIsRefusedWithoutReadingIt() throws Exception {
        // the client waits for "+" and never sends the literal; the next line is a new command
        Fixture f = new Fixture("a LOGIN {100000}\r\nb NOOP\r\n");
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class, e -> {
            assertThat(e.response()).isEqualTo("a BAD [TOOBIG] Literal too large");
            assertThat(e.fatal()).isFalse();
        });
        assertThat(f.events).isEmpty();
        assertThat(f.reader.read().tag()).isEqualTo("b");
    }

    @Test
    void appendHasItsOwnLiteralLimit() throws Exception {
        ReaderLimits limits = ReaderLimits.defaults().withMaxAppendLiteral(200_000);
        String big = "x".repeat(150_000);
        Fixture f = new Fixture("a APPEND INBOX {150000}\r\n" + big + "\r\nb APPEND INBOX {200001}\r\nc NOOP\r\n", limits, null);
        assertThat(str(f.reader.read().args().get(1))).hasSize(150_000);
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class,
                e -> assertThat(e.response()).isEqualTo("b NO [TOOBIG] Message too large"));
        assertThat(f.reader.read().tag()).isEqualTo("c");
    }

    @Test
    void refusedNonSynchronizingLiteralIsDiscardedWithTheRestOfTheCommand() throws Exception {
        String lit = "y".repeat(70_000);
        Fixture f = new Fixture("a SETMETADATA INBOX (/private/comment {70000+}\r\n" + lit + " /shared/x {3+}\r\nabc)\r\nb NOOP\r\n");
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class, e -> {
            assertThat(e.tag()).isEqualTo("a");
            assertThat(e.code()).isEqualTo("TOOBIG");
            assertThat(e.fatal()).isFalse();
        });
        assertThat(f.reader.read().tag()).isEqualTo("b");
    }

    @Test
    void gateRefusalOfNonSynchronizingLiteralSkipsIt() throws Exception {
        Fixture f = new Fixture("a LOGIN {3+}\r\njoe {3+}\r\npwd\r\nb NOOP\r\n", ReaderLimits.defaults(),
                (tag, name, size, nonSync) -> CommandReader.LiteralDecision.refuse(true, "PRIVACYREQUIRED", "TLS first"));
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class,
                e -> assertThat(e.response()).isEqualTo("a NO [PRIVACYREQUIRED] TLS first"));
        assertThat(f.reader.read().tag()).isEqualTo("b");
    }

    @Test
    void literalMinusRefusesLargeNonSynchronizingLiterals() throws Exception {
        String lit = "z".repeat(5000);
        String input = "a APPEND INBOX {5000+}\r\n" + lit + "\r\nb APPEND INBOX {4096+}\r\n" + "z".repeat(4096) + "\r\n";
        Fixture minus = new Fixture(input, ReaderLimits.defaults().withLiteralMinus(true), null);
        assertThatThrownBy(minus.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class, e -> {
            // RFC 7888 §4: tagged BAD with TOOBIG, and the literal is read and discarded
            assertThat(e.response()).isEqualTo("a BAD [TOOBIG] Non-synchronizing literal too large");
            assertThat(e.fatal()).isFalse();
        });
        assertThat(str(minus.reader.read().args().get(1))).hasSize(4096);
        Fixture plus = new Fixture(input);
        assertThat(str(plus.reader.read().args().get(1))).hasSize(5000);
    }

    @Test
    void hugeNonSynchronizingLiteralIsFatal() {
        Fixture f = new Fixture("a APPEND INBOX {999999999999+}\r\nxxxx");
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class, e -> {
            assertThat(e.fatal()).isTrue();
            assertThat(e.tag()).isEqualTo("a");
        });
    }

    @Test
    void nestingLimit() throws Exception {
        ReaderLimits limits = new ReaderLimits(1024, 1024, 1024, 1024, 4096, 3, 100, false);
        Fixture ok = new Fixture("a X (((a)))\r\n", limits, null);
        assertThat(ok.reader.read().args()).hasSize(1);
        Fixture deep = new Fixture("a X ((((a))))\r\nb NOOP\r\n", limits, null);
        assertThatThrownBy(deep.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class,
                e -> assertThat(e.response()).isEqualTo("a BAD Lists nested too deeply"));
        assertThat(deep.reader.read().tag()).isEqualTo("b");
        Fixture huge = new Fixture("a X " + "(".repeat(100_000) + "\r\nb NOOP\r\n");
        assertThatThrownBy(huge.reader::read).isInstanceOf(CommandReader.ReadError.class);
        assertThat(huge.reader.read().tag()).isEqualTo("b");
    }

    @Test
    void argumentLimit() throws Exception {
        ReaderLimits limits = new ReaderLimits(1024, 1024, 1024, 1024, 4096, 3, 5, false);
        Fixture f = new Fixture("a X 1 2 3 4 5\r\nb X 1 (2 3 4) 5 6\r\n", limits, null);
        assertThat(f.reader.read().args()).hasSize(5);
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class,
                e -> assertThat(e.text()).isEqualTo("Too many arguments"));
    }

    @Test
    void hugeLineIsSkippedToItsEndKeepingTheTag() throws Exception {
        String longLine = "tag7 SEARCH " + "1,".repeat(100_000) + "1\r\n";
        Fixture f = new Fixture(longLine + "b NOOP\r\n");
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class, e -> {
            assertThat(e.response()).isEqualTo("tag7 BAD Command line too long");
            assertThat(e.fatal()).isFalse();
        });
        assertThat(f.reader.read().tag()).isEqualTo("b");
    }

    @Test
    void hugeLineEndingInNonSynchronizingLiteralSkipsTheLiteralToo() throws Exception {
        String longLine = "t APPEND " + "x".repeat(70_000) + " {5+}\r\nhello\r\nb NOOP\r\n";
        Fixture f = new Fixture(longLine);
        assertThatThrownBy(f.reader::read).isInstanceOf(CommandReader.ReadError.class);
        assertThat(f.reader.read().tag()).isEqualTo("b");
    }

    @Test
    void totalCommandSizeLimit() throws Exception {
        ReaderLimits limits = new ReaderLimits(100, 100, 1000, 1000, 250, 3, 100, false);
        String x = "x".repeat(90);
        Fixture f = new Fixture("a X {90+}\r\n" + x + " {90+}\r\n" + x + " {90+}\r\n" + x + "\r\nb NOOP\r\n", limits, null);
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class,
                e -> assertThat(e.code()).isEqualTo("TOOBIG"));
        assertThat(f.reader.read().tag()).isEqualTo("b");
    }

    @Test
    void quotedStringRules() throws Exception {
        Fixture f = new Fixture("a X \"caf\u00c3\u00a9\" \"\"\r\nb X \"a\\nb\"\r\nc X \"open\r\nd X \"a\0\"\r\ne NOOP\r\n");
        Command a = f.reader.read();
        assertThat(str(a.args().get(0))).isEqualTo("caf\u00e9"); // UTF-8 allowed in quoted (RFC 9051 §9)
        assertThat(str(a.args().get(1))).isEmpty();
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class,
                e -> assertThat(e.response()).isEqualTo("b BAD Invalid escape in quoted string"));
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class,
                e -> assertThat(e.response()).isEqualTo("c BAD Missing '\"'"));
        assertThatThrownBy(f.reader::read).isInstanceOfSatisfying(CommandReader.ReadError.class,
                e -> assertThat(e.tag()).isEqualTo("d"));
        assertThat(f.reader.read().tag()).isEqualTo("e");
    }

    @Test
    void grammarErrors() throws Exception {
        String[][] cases = {
                {"\r\n", "* BAD Empty command line"},
                {"+ NOOP\r\n", "* BAD Invalid tag"},
                {"a\r\n", "a BAD Missing command"},
                {"a{1} NOOP\r\n", "* BAD Invalid tag"},
                {"a X )\r\n", "a BAD Unexpected ')'"},
                {"a X (b\r\n", "a BAD Missing ')'"},
                {"a X b\"c\"\r\n", "a BAD Missing space between arguments"},
                {"a X {3}x\r\n", "a BAD Invalid literal: '{' must end the line"},
                {"a X \u00e9t\u00e9\r\n", "a BAD 8-bit characters must be sent as a quoted string or a literal"},
                {"a X b\u0001\r\n", "a BAD Missing space between arguments"},
                {"a X (a)b\r\n", "a BAD Missing space between arguments"},
        };
        for (String[] c : cases) {
            Fixture f = new Fixture(c[0] + "z NOOP\r\n");
            assertThatThrownBy(f.reader::read).as(c[0]).isInstanceOfSatisfying(CommandReader.ReadError.class,
                    e -> assertThat(e.response()).isEqualTo(c[1]));
            assertThat(f.reader.read()).as(c[0]).isEqualTo(new Command("z", "NOOP", List.of()));
        }
    }

    @Test
    void lenientSpacing() throws Exception {
        Fixture f = new Fixture("a X  b   c \r\nb X (a)(b)\r\n");
        assertThat(f.reader.read().args()).containsExactly(atom("b"), atom("c"));
        assertThat(f.reader.read().args()).hasSize(2);
    }

    @Test
    void rawLinesAndEndOfStream() throws Exception {
        Fixture f = new Fixture("a IDLE\r\nDONE\r\ndGVzdA==\nb NOOP");
        assertThat(f.reader.read().name()).isEqualTo("IDLE");
        assertThat(f.reader.readLine()).isEqualTo("DONE");
        assertThat(f.reader.readLine()).isEqualTo("dGVzdA==");
        assertThat(f.reader.read()).isNull(); // no line end: the client went away mid-command
        assertThat(f.reader.read()).isNull();
        Fixture mid = new Fixture("a LOGIN {10}\r\nabc");
        assertThat(mid.reader.read()).isNull();
    }

    @Test
    void readsOneOctetAtATime() throws Exception {
        byte[] in = "a APPEND INBOX {5+}\r\nhello\r\nb NOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        var slow = new java.io.InputStream() {
            int i;

            @Override
            public int read() {
                return i < in.length ? in[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= in.length) return -1;
                b[off] = in[i++];
                return 1;
            }
        };
        CommandReader r = new CommandReader(slow, ReaderLimits.defaults(), null, () -> { });
        assertThat(str(r.read().args().get(1))).isEqualTo("hello");
        assertThat(r.read().tag()).isEqualTo("b");
        assertThat(r.read()).isNull();
    }

    @Test
    void continuationFailurePropagates() {
        CommandReader r = new CommandReader(new ByteArrayInputStream("a LOGIN {3}\r\n".getBytes(StandardCharsets.US_ASCII)),
                ReaderLimits.defaults(), null, () -> {
                    throw new IOException("broken pipe");
                });
        assertThatThrownBy(r::read).isInstanceOf(IOException.class).hasMessage("broken pipe");
    }

    @Test
    void bufferedInputAfterStarttlsIsVisibleAndCanBeTaken() throws Exception {
        Fixture f = new Fixture("a STARTTLS\r\nb LOGIN x y\r\n");
        assertThat(f.reader.read().name()).isEqualTo("STARTTLS");
        // the injected plaintext command must not survive the TLS handshake
        assertThat(f.reader.hasBufferedInput()).isTrue();
        assertThat(new String(f.reader.takeBuffered(), StandardCharsets.US_ASCII)).isEqualTo("b LOGIN x y\r\n");
        assertThat(f.reader.hasBufferedInput()).isFalse();
        assertThat(f.reader.read()).isNull();
    }
}
