package dev.sealpost.pop3.proto;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Fuzz targets for the POP3 command parser and the multi-line writer.
 *
 * <p>{@link #parse}: one command line without its line end. Properties: never throws, never
 * returns null; a parsed command belongs to the keyword that was sent, compared in ASCII only;
 * no argument holds a control character; message numbers are positive, TOP line counts not
 * negative; PASS is never shown by {@code toString}; AUTH fields are within RFC 4422 / 5034 bounds.
 *
 * <p>{@link #multiline}: any content written as a multi-line body ends with exactly one
 * terminating {@code CRLF.CRLF}, has only CRLF line ends, and un-stuffing gives back the input
 * with bare LF turned into CRLF (RETR).
 *
 * <p>Seeds: {@code src/test/resources/dev/sealpost/pop3/proto/Pop3CommandFuzzTestInputs/}.
 */
class Pop3CommandFuzzTest {
    private static final Set<String> KEYWORDS = Set.of("CAPA", "STLS", "USER", "PASS", "AUTH", "STAT", "LIST", "RETR",
            "DELE", "RSET", "NOOP", "QUIT", "TOP", "UIDL");

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] line) {
        Pop3Command.Result r = Pop3Command.parse(line);
        check(r != null, "null result");
        if (!(r instanceof Pop3Command.Parsed p)) return;
        String ascii = new String(line, StandardCharsets.ISO_8859_1);
        int sp = ascii.indexOf(' ');
        String kw = (sp < 0 ? ascii : ascii.substring(0, sp));
        check(kw.chars().allMatch(c -> c < 0x80), "non-ASCII keyword parsed: %s", kw);
        String upper = kw.toUpperCase(java.util.Locale.ROOT);
        check(KEYWORDS.contains(upper), "unknown keyword parsed: %s", kw);
        Pop3Command c = p.command();
        String expected = switch (c) {
            case Pop3Command.Capa x -> "CAPA";
            case Pop3Command.Stls x -> "STLS";
            case Pop3Command.User u -> {
                check(!u.name().isEmpty() && u.name().length() <= Pop3Command.MAX_USER, "user name bounds");
                check(u.name().chars().noneMatch(ch -> Character.isISOControl(ch) || ch == ' '), "control or space in user");
                yield "USER";
            }
            case Pop3Command.Pass x -> {
                check(x.password().length > 0 && x.password().length <= Pop3Command.MAX_PASSWORD, "password bounds");
                for (byte b : x.password()) check(b != 0 && b != '\r' && b != '\n', "NUL/CR/LF in password");
                check(x.toString().equals("Pass[***]"), "password shown");
                yield "PASS";
            }
            case Pop3Command.Auth a -> {
                if (a.mechanism() != null) {
                    check(a.mechanism().matches("[A-Z0-9_-]{1,20}"), "bad mechanism %s", a.mechanism());
                    check(a.initialResponse() == null || a.initialResponse().matches("=|[A-Za-z0-9+/]+={0,2}"), "bad IR");
                } else {
                    check(a.initialResponse() == null, "IR without mechanism");
                }
                yield "AUTH";
            }
            case Pop3Command.Stat x -> "STAT";
            case Pop3Command.ListMessages l -> {
                check(l.msg() == null || l.msg() >= 1, "msg < 1");
                yield "LIST";
            }
            case Pop3Command.Uidl u -> {
                check(u.msg() == null || u.msg() >= 1, "msg < 1");
                yield "UIDL";
            }
            case Pop3Command.Retr x -> {
                check(x.msg() >= 1, "msg < 1");
                yield "RETR";
            }
            case Pop3Command.Dele x -> {
                check(x.msg() >= 1, "msg < 1");
                yield "DELE";
            }
            case Pop3Command.Top t -> {
                check(t.msg() >= 1 && t.lines() >= 0, "TOP bounds");
                yield "TOP";
            }
            case Pop3Command.Rset x -> "RSET";
            case Pop3Command.Noop x -> "NOOP";
            case Pop3Command.Quit x -> "QUIT";
        };
        check(expected.equals(upper), "keyword %s parsed as %s", kw, expected);
        if (!(c instanceof Pop3Command.Pass) && !(c instanceof Pop3Command.User)) {
            check(ascii.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f), "control or non-ASCII in a parsed %s", expected);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void multiline(FuzzedDataProvider data) throws IOException {
        byte[] content = data.consumeRemainingAsBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultilineWriter.write(new ByteArrayInputStream(content), out, MultilineWriter.ALL);
        byte[] o = out.toByteArray();
        check(o.length >= 3 && o[o.length - 3] == '.' && o[o.length - 2] == '\r' && o[o.length - 1] == '\n', "no terminator");
        // every LF is preceded by CR
        for (int i = 0; i < o.length; i++) if (o[i] == '\n') check(i > 0 && o[i - 1] == '\r', "bare LF at %d", i);
        // un-stuff line by line up to the terminator
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        int i = 0;
        boolean ended = false;
        while (i < o.length) {
            int lf = i;
            while (o[lf] != '\n') lf++;
            int start = i, end = lf - 1; // the line without CRLF is [start, end)
            if (end - start == 1 && o[start] == '.') {
                check(lf == o.length - 1, "terminator before the end");
                ended = true;
                break;
            }
            if (o[start] == '.') {
                check(end > start + 1, "lone unstuffed dot");
                start++;
            }
            back.write(o, start, end - start);
            back.write('\r');
            back.write('\n');
            i = lf + 1;
        }
        check(ended, "no terminator line");
        byte[] expected = normalise(content);
        check(java.util.Arrays.equals(back.toByteArray(), expected), "round trip differs");
    }

    /** Bare LF to CRLF, and a final CRLF when missing. */
    static byte[] normalise(byte[] in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) b.write('\r');
            b.write(in[i]);
        }
        if (in.length > 0 && in[in.length - 1] != '\n') {
            b.write('\r');
            b.write('\n');
        }
        return b.toByteArray();
    }

    private static void check(boolean ok, String fmt, Object... args) {
        if (!ok) throw new AssertionError(String.format(fmt, args));
    }
}
