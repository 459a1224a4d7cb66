package dev.sealpost.imap.fetch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.Command;
import dev.sealpost.imap.proto.CommandReader;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.ReaderLimits;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for FETCH: the first line of the input is the fetch items of {@code t FETCH 1
 * <items>} (tokenized by {@link CommandReader}), the rest is the stored message. Properties:
 * <ul>
 *   <li>{@link FetchRequest#parse} throws only {@link ImapSyntaxException};</li>
 *   <li>{@link FetchRenderer#render} throws only {@link UnknownCteException}, and only for BINARY items;</li>
 *   <li>the rendered list is well-formed: our own reader reads it back as one list with one
 *       name/value pair per requested item (literal sizes, quoting and nesting are right);</li>
 *   <li>a BODY[...] literal never holds NUL.</li>
 * </ul>
 * Seeds: {@code src/test/resources/dev/sealpost/imap/fetch/FetchFuzzTestInputs/render/}.
 */
class FetchFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void render(byte[] input) throws IOException {
        int lf = 0;
        while (lf < input.length && input[lf] != '\n') lf++;
        byte[] items = Arrays.copyOfRange(input, 0, lf);
        byte[] message = lf < input.length ? Arrays.copyOfRange(input, lf + 1, input.length) : new byte[0];
        Command c = read(concat("t FETCH 1 ".getBytes(StandardCharsets.US_ASCII), items, "\r\n".getBytes(StandardCharsets.US_ASCII)));
        if (c == null || c.args().size() < 2) return;
        FetchRequest req;
        try {
            req = FetchRequest.parse(c.args().subList(1, c.args().size()));
        } catch (ImapSyntaxException e) {
            return;
        }
        TestMessage m = new TestMessage(1, 7, message);
        byte[] out;
        try {
            out = FetchRenderer.render(req, m);
        } catch (UnknownCteException e) {
            boolean binary = req.items().stream().anyMatch(i -> i instanceof FetchRequest.Section s && s.kind() != FetchRequest.Kind.BODY);
            check(binary, "UNKNOWN-CTE without a BINARY item");
            return;
        }
        Command back = read(concat("x X ".getBytes(StandardCharsets.US_ASCII), out, "\r\n".getBytes(StandardCharsets.US_ASCII)));
        check(back != null && back.args().size() == 1 && back.args().get(0) instanceof Arg.ListArg, "rendered list not readable");
        List<Arg> pairs = ((Arg.ListArg) back.args().get(0)).items();
        check(pairs.size() == 2 * req.items().size(), "%s items for %s", pairs.size(), req);
        for (int i = 0; i < pairs.size(); i += 2) {
            String name = Arg.text(pairs.get(i));
            check(name != null && pairs.get(i) instanceof Arg.Atom, "item name %s", pairs.get(i));
            if (name.startsWith("BODY[") && pairs.get(i + 1) instanceof Arg.Str s) {
                for (byte b : s.value()) check(b != 0, "NUL in BODY literal");
            }
        }
    }

    private static Command read(byte[] line) throws IOException {
        ReaderLimits limits = new ReaderLimits(1 << 20, 1 << 24, 1 << 24, 1 << 24, 1 << 26, 64, 1 << 20, false);
        try {
            return new CommandReader(new ByteArrayInputStream(line), limits, null, () -> { }).read();
        } catch (CommandReader.ReadError e) {
            return null;
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
