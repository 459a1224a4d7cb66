package dev.sealpost.imap.server.cmd;

import dev.sealpost.imap.server.ImapServerConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LITERAL+ (RFC 7888): non-synchronizing literals {@code {n+}} of any size up to the server's
 * limits, and what happens past a limit (§4: the client sends the octets anyway; the server answers
 * the command with a tagged BAD or NO and must never run those octets as commands, or closes).
 */
class LiteralPlusTest extends CommandTestBase {

    /** A message of about {@code n} octets as {@code C|} lines (each sent with CRLF). */
    private static String messageLines(int n) {
        StringBuilder sb = new StringBuilder("C| Subject: big\nC|\n");
        String line = "C| " + "x".repeat(70) + "\n";
        for (int size = 16; size < n; size += 72) sb.append(line);
        return sb.toString();
    }

    /** Lines that would end the session if they ran as commands, n octets in all (a multiple of 11). */
    private static String commandLines(int n) {
        return "C| a1 LOGOUT\n".repeat(n / 11);
    }

    @Test
    void advertisedBeforeAndAfterLoginInsteadOfLiteralMinus() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: a1 CAPABILITY
                # the rest of the list is the server's own: see CapabilityTest
                S: * CAPABILITY IMAP4rev2 … LITERAL+ …
                S: a1 OK CAPABILITY completed
                C: a2 LOGIN alice@example.test secret-pw
                S: a2 OK [CAPABILITY IMAP4rev2 … LITERAL+ …] …
                C: a3 CAPABILITY
                S: * CAPABILITY IMAP4rev2 … LITERAL+ …
                S: a3 OK CAPABILITY completed
                """);
        // RFC 7888 §6: a server does not advertise both
        assertThat(List.of(c.cmd("CAPABILITY").getFirst().split(" "))).contains("LITERAL+").doesNotContain("LITERAL-");
    }

    @Test
    void appendWithANonSynchronizingLiteralAboveLiteralMinusLimit() throws Exception {
        // 10,000 octets: above LITERAL-'s 4096 (RFC 7888 §5), within the append limit; no "+" continuation is sent
        Conn c = login(ALICE);
        Transcript.play(c, "C: a1 APPEND INBOX (\\Seen $Big) {auto+}\n" + messageLines(10_000) + """
                C:
                S: a1 OK [APPENDUID … 1] APPEND completed
                C: a2 SELECT INBOX
                # FLAGS, EXISTS, UIDVALIDITY, UIDNEXT, PERMANENTFLAGS (no UNSEEN: the message is seen; RECENT is skipped)
                S~ .*
                S~ .*
                S~ .*
                S~ .*
                S~ .*
                S~ a2 OK .*
                C: a3 FETCH 1 (FLAGS RFC822.SIZE)
                S~ \\* 1 FETCH \\(FLAGS \\((\\\\Seen \\$Big|\\$Big \\\\Seen)\\) RFC822\\.SIZE 10\\d\\d\\d\\)
                S: a3 OK FETCH completed
                """);
    }

    @Test
    void loginArgumentsAsNonSynchronizingLiterals() throws Exception {
        Conn c = connect();
        // user name and password as {n+}: the line after each literal continues the command
        Transcript.play(c, """
                C: a1 LOGIN {18+}
                C: alice@example.test {9+}
                C: secret-pw
                S: a1 OK [CAPABILITY …] …
                C: a2 NOOP
                S: a2 OK NOOP completed
                """);
    }

    @Test
    void overTheAppendLimitIsRefusedAndItsOctetsSkipped() throws Exception {
        ImapServerConfig cfg = config(false, true);
        Conn c = connect(start(cfg.withLimits(cfg.limits().withSizes(8192, 2000, 1000))));
        c.cmd("LOGIN " + ALICE + " " + PW);
        // 3,300 octets: over the 1,000-octet APPENDLIMIT, within what the server reads and discards;
        // the literal is made of commands: none of them may run (the client sent them as data)
        Transcript.play(c, "C: a0 APPEND INBOX {auto+}\n" + commandLines(3300) + """
                C:
                # RFC 9051 §7.1 / RFC 7889: NO [TOOBIG] for a message over the limit
                S: a0 NO [TOOBIG] Message too large
                C: a2 NOOP
                S: a2 OK NOOP completed
                C: b0 SEARCH TEXT {auto+}
                """ + commandLines(2200) + """
                C:
                # over the 2,000-octet literal limit of other commands: BAD [TOOBIG], then in step again
                S: b0 BAD [TOOBIG] Literal too large
                C: b2 NOOP
                S: b2 OK NOOP completed
                """);
        assertThat(c.status("STATUS INBOX (MESSAGES)")).startsWith("OK");
    }

    @Test
    void absurdDeclaredSizeIsRefusedAndTheConnectionClosed() throws Exception {
        Conn c = login(ALICE);
        // 2 GiB announced: too much to read and discard; the server answers, says BYE and closes
        // (RFC 7888 §4) without running what follows as commands
        c.sendRaw("a0 APPEND INBOX {2147483648+}\r\na1 LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII));
        Transcript.play(c, """
                S: a0 NO [TOOBIG] Message too large
                S: * BYE Message too large
                """);
        assertThat(c.closedByServer()).isTrue();
    }

    @Test
    void beforeAuthenticationSmallRefusalsAreSkippedLargeOnesClose() throws Exception {
        Conn c = connect();
        // above the 8 KiB pre-authentication literal limit, below the 64 KiB read-and-discard bound
        Transcript.play(c, "C: a0 LOGIN {auto+}\n" + commandLines(11_000) + """
                C:  pw
                S: a0 BAD [TOOBIG] Literal too large before authentication
                C: a2 NOOP
                S: a2 OK NOOP completed
                """);
        c.sendRaw("a3 LOGIN {100000+}\r\na4 NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
        Transcript.play(c, """
                S: a3 BAD [TOOBIG] Literal too large before authentication
                S: * BYE Literal too large before authentication
                """);
        assertThat(c.closedByServer()).isTrue();
    }
}
