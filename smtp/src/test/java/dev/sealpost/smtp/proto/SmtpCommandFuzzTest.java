package dev.sealpost.smtp.proto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.core.mail.EmailAddress;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the SMTP command parser ({@link SmtpCommand#parse(byte[], boolean)}).
 *
 * <p>The input is one command line without its CRLF, parsed in both SMTPUTF8 modes. Properties:
 * <ul>
 *   <li>the package-private {@link Parser} never throws (the public entry point swallows
 *       runtime exceptions as a last line of defence; here they count as findings), and the
 *       public entry point gives the same answer;</li>
 *   <li>nothing with a control character (CR, LF, NUL, ...) is ever a parsed command;</li>
 *   <li>a parsed command belongs to the verb that was sent, compared in ASCII only (no
 *       {@code MAıL} or {@code ſTARTTLS} becoming MAIL or STARTTLS through Unicode case
 *       mapping: a front-end filter would not see them as commands);</li>
 *   <li>every field of a parsed command is within its RFC bounds (path length, ENVID, ORCPT,
 *       NOTIFY, BODY, BDAT size, AUTH mechanism and initial response) and decoded xtext holds
 *       no control characters;</li>
 *   <li>non-ASCII addresses only when SMTPUTF8 is in force;</li>
 *   <li>only a BDAT line may ask the engine to close the connection, and replies to invalid
 *       lines are 5xx.</li>
 * </ul>
 * Seeds: {@code src/test/resources/dev/sealpost/smtp/proto/SmtpCommandFuzzTestInputs/parse/}.
 */
class SmtpCommandFuzzTest {
    private static final Set<String> BODIES = Set.of("7BIT", "8BITMIME", "BINARYMIME");
    private static final Set<String> NOTIFY = Set.of("NEVER", "SUCCESS", "FAILURE", "DELAY");
    private static final Pattern MECH = Pattern.compile("[A-Z0-9_-]{1,20}");
    private static final Pattern BASE64 = Pattern.compile("=|[A-Za-z0-9+/]+={0,2}");

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] line) {
        String text = strictUtf8(line);
        for (boolean utf8 : new boolean[] {false, true}) {
            SmtpCommand.Result viaPublic = SmtpCommand.parse(line, utf8);
            check(viaPublic != null, "null result");
            if (text == null) {
                check(viaPublic instanceof SmtpCommand.Invalid, "invalid UTF-8 parsed: %s", viaPublic);
                checkInvalid((SmtpCommand.Invalid) viaPublic, new String(line, StandardCharsets.ISO_8859_1));
                continue;
            }
            SmtpCommand.Result direct = Parser.parse(text, utf8); // an exception here is a finding
            check(direct.equals(viaPublic), "public and direct parse differ: %s vs %s", viaPublic, direct);
            switch (direct) {
                case SmtpCommand.Invalid inv -> checkInvalid(inv, text);
                case SmtpCommand.Parsed p -> checkParsed(p.command(), text, utf8);
            }
        }
    }

    /** Findings (see docs/fuzzing.md), as plain assertions. */
    @Test
    void keywordsAreCaseInsensitiveInAsciiOnly() {
        for (String line : List.of("MA\u0131L FROM:<a@b.example>", "\u017fTARTTLS", "QU\u0131T")) {
            assertThat(SmtpCommand.parse(line, true)).as(line).isEqualTo(new SmtpCommand.Invalid(Replies.UNKNOWN_COMMAND, false));
        }
        for (String line : List.of("BDAT 5 LA\u017fT", "MAIL FROM:<a@b.example> BODY=8B\u0131TM\u0131ME SMTPUTF8",
                "RCPT TO:<a@b.example> NOTIFY=\u017fUCCESS", "RCPT TO:<a@[\u0131Pv6:::1]>")) {
            assertThat(SmtpCommand.parse(line, true)).as(line).isInstanceOf(SmtpCommand.Invalid.class);
        }
        assertThat(SmtpCommand.parse("RCPT TO:<po\u017ftmaster>", false)).isEqualTo(new SmtpCommand.Invalid(Replies.UTF8_REQUIRED, false));
        // ASCII case-insensitivity still holds
        assertThat(SmtpCommand.parse("mAiL fRoM:<a@b.example> body=8bitmime", false))
                .isInstanceOfSatisfying(SmtpCommand.Parsed.class, p -> assertThat(((SmtpCommand.Mail) p.command()).body()).isEqualTo("8BITMIME"));
        assertThat(SmtpCommand.parse("bdat 5 last", false)).isEqualTo(new SmtpCommand.Parsed(new SmtpCommand.Bdat(5, true)));
        assertThat(SmtpCommand.parse("RCPT TO:<PostMaster>", false)).isInstanceOf(SmtpCommand.Parsed.class);
    }

    @Test
    void decodedXtextMustBePrintableAscii() {
        assertThat(SmtpCommand.parse("MAIL FROM:<a@b.example> ENVID=x+0D+0ABcc:+20victim", false))
                .isEqualTo(new SmtpCommand.Invalid(Reply.of(501, "5.5.4", "Invalid ENVID value"), false));
        assertThat(SmtpCommand.parse("RCPT TO:<b@c.example> ORCPT=rfc822;a+00b", false))
                .isEqualTo(new SmtpCommand.Invalid(Reply.of(501, "5.5.4", "Invalid ORCPT value"), false));
        assertThat(SmtpCommand.parse("RCPT TO:<b@c.example> ORCPT=rfc822;a+80b", false)).isInstanceOf(SmtpCommand.Invalid.class);
        // spaces and '+' itself are printable and fine
        assertThat(SmtpCommand.parse("MAIL FROM:<a@b.example> ENVID=a+20b+2Bc", false))
                .isInstanceOfSatisfying(SmtpCommand.Parsed.class, p -> assertThat(((SmtpCommand.Mail) p.command()).envid()).isEqualTo("a b+c"));
    }

    private static void checkInvalid(SmtpCommand.Invalid inv, String text) {
        check(inv.reply().code() >= 500 && inv.reply().code() <= 599, "invalid line answered %s", inv.reply());
        if (inv.closeConnection()) {
            check(text.length() >= 4 && asciiUpper(text.substring(0, 4)).equals("BDAT"),
                    "non-BDAT line closes the connection: %s", text);
        }
    }

    private static void checkParsed(SmtpCommand c, String text, boolean utf8) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            check(ch >= 0x20 && ch != 0x7f, "line with control character U+%04X parsed as %s", (int) ch, c);
        }
        int sp = text.indexOf(' ');
        String verb = asciiUpper(sp < 0 ? text : text.substring(0, sp));
        String expected = switch (c) {
            case SmtpCommand.Ehlo e -> "EHLO";
            case SmtpCommand.Helo h -> "HELO";
            case SmtpCommand.Mail m -> "MAIL";
            case SmtpCommand.Rcpt r -> "RCPT";
            case SmtpCommand.Data d -> "DATA";
            case SmtpCommand.Bdat b -> "BDAT";
            case SmtpCommand.Rset r -> "RSET";
            case SmtpCommand.Noop n -> "NOOP";
            case SmtpCommand.Quit q -> "QUIT";
            case SmtpCommand.Vrfy v -> "VRFY";
            case SmtpCommand.Expn e -> "EXPN";
            case SmtpCommand.Help h -> "HELP";
            case SmtpCommand.StartTls s -> "STARTTLS";
            case SmtpCommand.Auth a -> "AUTH";
        };
        check(verb.equals(expected), "verb %s parsed as %s", verb, c);
        switch (c) {
            case SmtpCommand.Ehlo e -> checkClientName(e.domain());
            case SmtpCommand.Helo h -> checkClientName(h.domain());
            case SmtpCommand.Mail m -> {
                checkAddress(m.reversePath(), utf8 || m.smtpUtf8());
                check(m.body() == null || BODIES.contains(m.body()), "BODY %s", m.body());
                check(m.ret() == null || m.ret().equals("FULL") || m.ret().equals("HDRS"), "RET %s", m.ret());
                // the keyword values were sent as such, in ASCII (no Unicode case folding onto them)
                check(m.body() == null || asciiUpper(text).contains("BODY=" + m.body()), "BODY %s from %s", m.body(), text);
                check(m.ret() == null || asciiUpper(text).contains("RET=" + m.ret()), "RET %s from %s", m.ret(), text);
                check(m.size() >= -1, "SIZE %s", m.size());
                if (m.envid() != null) {
                    check(!m.envid().isEmpty() && m.envid().length() <= SmtpCommand.MAX_ENVID, "ENVID length %s", m.envid().length());
                    checkPrintableAscii(m.envid(), "ENVID");
                }
            }
            case SmtpCommand.Rcpt r -> {
                if (r.forwardPath() == null) {
                    int lt = text.indexOf('<');
                    check(asciiUpper(text.substring(lt + 1)).startsWith("POSTMASTER>"), "null forward path: %s", text);
                } else {
                    checkAddress(r.forwardPath(), utf8);
                }
                List<String> n = r.dsnNotify();
                for (String v : n) check(asciiUpper(text).contains(v), "NOTIFY %s from %s", v, text);
                check(NOTIFY.containsAll(n) && n.stream().distinct().count() == n.size()
                        && (!n.contains("NEVER") || n.size() == 1), "NOTIFY %s", n);
                if (r.orcpt() != null) {
                    int semi = r.orcpt().indexOf(';');
                    check(semi > 0 && r.orcpt().length() <= SmtpCommand.MAX_ORCPT, "ORCPT %s", r.orcpt());
                    checkPrintableAscii(r.orcpt().substring(semi + 1), "ORCPT");
                }
            }
            case SmtpCommand.Bdat b -> {
                check(b.size() >= 0 && b.size() < 1_000_000_000_000_000_000L, "BDAT size %s", b.size());
                check(b.last() == asciiUpper(text).endsWith(" LAST"), "BDAT last=%s from %s", b.last(), text);
            }
            case SmtpCommand.Auth a -> {
                check(MECH.matcher(a.mechanism()).matches(), "AUTH mechanism %s", a.mechanism());
                check(a.initialResponse() == null || BASE64.matcher(a.initialResponse()).matches(), "AUTH response %s", a.initialResponse());
            }
            case SmtpCommand.Vrfy v -> check(!v.argument().isBlank(), "blank VRFY");
            case SmtpCommand.Expn e -> check(!e.argument().isBlank(), "blank EXPN");
            default -> { }
        }
    }

    private static void checkClientName(String name) {
        check(!name.isEmpty() && name.length() <= 255, "client name length %s", name.length());
        check(name.indexOf(' ') < 0, "space in client name %s", name);
    }

    /** RFC 5321 §4.5.3.1.3: a path of at most 256 octets with its brackets, so a mailbox of at most 254. */
    private static void checkAddress(EmailAddress a, boolean utf8) {
        if (a == null) return;
        String s = a.localPart() + "@" + a.domain();
        check(s.getBytes(StandardCharsets.UTF_8).length <= SmtpCommand.MAX_PATH - 2, "address too long: %s", s);
        check(a.localPart().getBytes(StandardCharsets.UTF_8).length <= EmailAddress.MAX_LOCAL_PART, "local part too long: %s", s);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            check(ch >= 0x20 && ch != 0x7f, "control character in address %s", s);
            check(utf8 || ch < 0x80, "non-ASCII address without SMTPUTF8: %s", s);
        }
    }

    /** RFC 3461 §4.2, §4.4: decoded ENVID and ORCPT are printable US-ASCII (no CR/LF to inject into a DSN). */
    private static void checkPrintableAscii(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            check(ch >= 0x20 && ch < 0x7f, "%s holds U+%04X", what, (int) ch);
        }
    }

    static String asciiUpper(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(ch >= 'a' && ch <= 'z' ? (char) (ch - 32) : ch);
        }
        return b.toString();
    }

    private static String strictUtf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
