package dev.sealpost.managesieve.proto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.managesieve.proto.SieveCommandReader.Read;
import dev.sealpost.managesieve.proto.SieveCommandReader.Token;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the ManageSieve command reader: any octets, read line after line until the end.
 * Properties: never throws (but for I/O, impossible here), never loops without consuming input,
 * every line has 1 to maxArgs + 1 tokens, quoted strings are at most 1024 octets, literals at most
 * maxLiteral, atoms are ASCII letters, digits, "-" and "_", numbers within 0..4294967295, and the
 * reader ends with {@link Read.Eof}.
 *
 * <p>Seeds: {@code src/test/resources/dev/sealpost/managesieve/proto/SieveCommandReaderFuzzTestInputs/}.
 */
class SieveCommandReaderFuzzTest {
    static final SieveCommandReader.Limits LIMITS = new SieveCommandReader.Limits(256, 100, 4);

    @FuzzTest(maxDuration = "60s")
    void read(byte[] input) throws IOException {
        SieveCommandReader r = new SieveCommandReader(new ByteArrayInputStream(input), () -> { }, LIMITS);
        int reads = 0;
        while (true) {
            Read x = r.read();
            check(x != null, "null read");
            if (x instanceof Read.Eof) break;
            check(++reads <= input.length, "more reads than input octets");
            if (x instanceof Read.LiteralTooLarge t) check(t.size() > LIMITS.maxLiteral(), "small literal refused");
            if (!(x instanceof Read.Line l)) continue;
            check(!l.tokens().isEmpty() && l.tokens().size() <= LIMITS.maxArgs() + 1, "token count %d", l.tokens().size());
            for (Token t : l.tokens()) {
                switch (t) {
                    case Token.Atom a -> check(a.text().matches("[A-Za-z0-9_-]+") && !a.text().matches("[0-9]+"), "atom %s", a.text());
                    case Token.Number n -> check(n.value() >= 0 && n.value() <= 0xFFFF_FFFFL, "number %d", n.value());
                    case Token.Str s -> {
                        int octets = s.text().getBytes(StandardCharsets.UTF_8).length;
                        check(s.literal() ? octets <= LIMITS.maxLiteral() : octets <= SieveCommandReader.MAX_QUOTED, "string of %d", octets);
                        if (!s.literal()) check(s.text().indexOf('\r') < 0 && s.text().indexOf('\n') < 0, "line end in a quoted string");
                    }
                }
            }
        }
        check(r.read() instanceof Read.Eof, "not at the end after Eof");
    }

    private static void check(boolean ok, String fmt, Object... args) {
        if (!ok) throw new AssertionError(String.format(fmt, args));
    }
}
