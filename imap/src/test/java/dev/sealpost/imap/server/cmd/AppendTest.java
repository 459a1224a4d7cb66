package dev.sealpost.imap.server.cmd;

import dev.sealpost.imap.server.ImapServerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** APPEND (RFC 9051 §6.3.12; APPENDUID RFC 4315 §3; MULTIAPPEND RFC 3502; OVERQUOTA RFC 9208). */
class AppendTest extends CommandTestBase {

    @Test
    void rfc9051AndRfc4315Example() throws Exception {
        Conn c = login(ALICE);
        c.cmd("CREATE saved-messages");
        long v = uidValidity("saved-messages");
        Transcript.play(c, """
                C: A003 APPEND saved-messages (\\Seen) {auto}
                S: + Ready for literal data
                C| Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)
                C| From: Fred Foobar <foobar@Blurdybloop.example>
                C| Subject: afternoon meeting
                C| To: mooch@owatagu.siam.edu.example
                C| Message-Id: <B27397-0100000@Blurdybloop.example>
                C| MIME-Version: 1.0
                C| Content-Type: TEXT/PLAIN; CHARSET=US-ASCII
                C|
                C| Hello Joe, do you think we can meet at 3:30 tomorrow?
                C:
                # RFC 9051 prints "OK APPEND completed"; with UIDPLUS the code is RFC 4315's APPENDUID
                S: A003 OK [APPENDUID %d 1] APPEND completed
                """.formatted(v));
        c.cmd("SELECT saved-messages");
        assertThat(Transcript.rev2(c.cmd("FETCH 1 (FLAGS ENVELOPE)").getFirst())).isEqualTo("* 1 FETCH (FLAGS (\\Seen) ENVELOPE "
                + "(\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" \"afternoon meeting\" ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
                + "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
                + "((NIL NIL \"mooch\" \"owatagu.siam.edu.example\")) NIL NIL NIL \"<B27397-0100000@Blurdybloop.example>\"))");
    }

    @Test
    void internalDateAndNonSynchronizingLiteral() throws Exception {
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: a1 APPEND INBOX (\\Flagged $Important) " 5-Jan-2021 10:00:00 +0100" {auto+}
                C| Subject: dated
                C|
                C| body
                C:
                S: a1 OK [APPENDUID … 1] APPEND completed
                C: a2 SELECT INBOX
                # FLAGS, EXISTS, UNSEEN, UIDVALIDITY, UIDNEXT, PERMANENTFLAGS (RECENT is skipped: see Transcript)
                S~ .*
                S~ .*
                S~ .*
                S~ .*
                S~ .*
                S~ .*
                S~ a2 OK .*
                C: a3 FETCH 1 (INTERNALDATE FLAGS)
                # the same instant; the server keeps internal dates in UTC, so the client's zone is not echoed
                S: * 1 FETCH (INTERNALDATE "05-Jan-2021 09:00:00 +0000" FLAGS (\\Flagged $Important))
                S: a3 OK FETCH completed
                """);
    }

    @Test
    void rfc3502MultiAppend() throws Exception {
        Conn c = login(ALICE);
        String a = msg("first"), b = msg("second");
        c.send("m1 APPEND INBOX {" + a.length() + "+}");
        c.sendRaw(a.getBytes());
        c.send(" (\\Seen) {" + b.length() + "+}");
        c.sendRaw(b.getBytes());
        c.send("");
        assertThat(c.until("m1").getLast()).isEqualTo("m1 OK [APPENDUID " + uidValidity("INBOX") + " 1:2] APPEND completed");
    }

    @Test
    void errors() throws Exception {
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: a1 APPEND nosuch {auto}
                S: + Ready for literal data
                C| Subject: x
                C|
                C| body
                C:
                S: a1 NO [TRYCREATE] No such mailbox
                C: a2 APPEND INBOX (\\Bogus) {auto}
                S: + Ready for literal data
                C| Subject: x
                C|
                C| body
                C:
                S: a2 BAD …
                C: a3 APPEND INBOX
                S: a3 BAD …
                C: a4 APPEND INBOX "not a date" {auto}
                S: + Ready for literal data
                C| Subject: x
                C|
                C:
                S: a4 BAD …
                """);
    }

    @Test
    void appendToTheSelectedMailboxReportsExists() throws Exception {
        // RFC 9051 §6.3.12: the server SHOULD send the new EXISTS right away
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: a1 APPEND INBOX {auto}
                S: + Ready for literal data
                C| Subject: x
                C|
                C| y
                C:
                S: * 1 EXISTS
                S: a1 OK [APPENDUID … 1] APPEND completed
                """);
    }

    @Test
    void overQuota() throws Exception {
        store.directory().setQuota(ALICE, 2048);
        Conn c = login(ALICE);
        // RFC 9208 §4.3 / §5.3 example: "NO [OVERQUOTA] APPEND Failed"
        assertThat(append(c, "INBOX", null, null, msg("big") + "x".repeat(4000) + "\r\n")).isEqualTo("NO [OVERQUOTA] Quota exceeded");
    }

    @Test
    void tooBig() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int p = start(cfg.withLimits(cfg.limits().withSizes(8192, 1024 * 1024, 1000)));
        Conn c = connect(p);
        c.cmd("LOGIN " + ALICE + " " + PW);
        // RFC 7889 / RFC 9051 §7.1: a literal above the APPENDLIMIT is refused before it is sent
        c.send("a1 APPEND INBOX {5000}");
        assertThat(c.line()).startsWith("a1 NO [TOOBIG]");
        assertThat(c.status("NOOP")).isEqualTo("OK NOOP completed");
    }

    @Test
    void notAuthenticated() throws Exception {
        Conn c = connect();
        // RFC 9051 §6: APPEND needs authentication; small literals are read (and discarded) first
        c.send("a1 APPEND INBOX {10}");
        assertThat(c.line()).startsWith("+ ");
        c.send("Subject: x");
        assertThat(c.line()).startsWith("a1 BAD ");
        c.send("a2 APPEND INBOX {100000}");
        assertThat(c.line()).matches("a2 (NO|BAD) \\[TOOBIG\\] .*");
    }

    @Test
    void headerSectionBound() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int p = start(cfg.withLimits(cfg.limits().withHeaderLimits(2000, 20)));
        Conn c = connect(p);
        c.cmd("LOGIN " + ALICE + " " + PW);
        // RFC 5322 §2.1: the header section is what comes before the first empty line; RFC 5530 codes
        assertThat(append(c, "INBOX", null, null, "Subject: x\r\nX-Bomb: " + "a".repeat(3000) + "\r\n\r\nbody\r\n"))
                .isEqualTo("NO [TOOBIG] Message header section larger than 2000 octets");
        assertThat(append(c, "INBOX", null, null, "X-F: 1\r\n".repeat(21) + "\r\nbody\r\n"))
                .isEqualTo("NO [LIMIT] Message header section has more than 20 fields");
        // a long body is not a long header; folded lines (RFC 5322 §2.2.3) do not count as fields
        assertThat(append(c, "INBOX", null, null, "Subject: x\r\n" + "X-F: 1\r\n  folded\r\n".repeat(19) + "\r\n" + "b".repeat(5000) + "\r\n"))
                .startsWith("OK [APPENDUID ");
        // MULTIAPPEND (RFC 3502): one message over the limit and none of them is stored
        String good = msg("fine"), bomb = "X-F: 1\r\n".repeat(30) + "\r\nbody\r\n";
        c.send("m1 APPEND INBOX {" + good.length() + "+}");
        c.sendRaw(good.getBytes());
        c.send(" {" + bomb.length() + "+}");
        c.sendRaw(bomb.getBytes());
        c.send("");
        assertThat(c.until("m1").getLast()).isEqualTo("m1 NO [LIMIT] Message header section has more than 20 fields");
        c.cmd("SELECT INBOX");
        assertThat(c.cmd("FETCH 1:* (UID)")).hasSize(2); // the one message appended above, then the tagged OK
        // CATENATE (RFC 4469): the header bound applies to the built message
        String p1 = "X-F: 1\r\n".repeat(15), p2 = "X-F: 1\r\n".repeat(10) + "\r\nbody\r\n";
        c.send("c1 APPEND INBOX CATENATE (TEXT {" + p1.length() + "+}");
        c.sendRaw(p1.getBytes());
        c.send(" TEXT {" + p2.length() + "+}");
        c.sendRaw(p2.getBytes());
        c.send(")");
        assertThat(c.until("c1").getLast()).isEqualTo("c1 NO [LIMIT] Message header section has more than 20 fields");
        assertThat(c.status("NOOP")).isEqualTo("OK NOOP completed");
    }
}
