package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** MOVE (RFC 6851, RFC 9051 §6.4.8). */
class MoveTest extends CommandTestBase {

    @Test
    void rfc6851Example() throws Exception {
        // RFC 6851 §4.3: UID MOVE 42:69 foo -> COPYUID, then EXPUNGEs. Ours: UIDs 2:4 of 5; the
        // expunges come highest first (see ExpungeTest) where the RFC repeats "* 22 EXPUNGE"
        seed("INBOX", null, msg("1"), msg("2"), msg("3"), msg("4"), msg("5"));
        Conn c = selected("INBOX");
        c.cmd("CREATE foo");
        long v = uidValidity("foo");
        Transcript.play(c, """
                C: a UID MOVE 2:4 foo
                S: * OK [COPYUID %d 2:4 1:3] …
                S: * 4 EXPUNGE
                S: * 3 EXPUNGE
                S: * 2 EXPUNGE
                S: a OK …
                """.formatted(v));
    }

    @Test
    void rfc6851QresyncExample() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"), msg("3"), msg("4"), msg("5"));
        Conn c = login(ALICE);
        c.cmd("ENABLE QRESYNC");
        c.cmd("SELECT INBOX");
        c.cmd("CREATE foo");
        long v = uidValidity("foo");
        Transcript.play(c, """
                C: a UID MOVE 2:4 foo
                S: * OK [COPYUID %d 2:4 1:3] …
                S: * VANISHED 2:4
                S: a OK …
                """.formatted(v));
    }

    @Test
    void uidMoveOfNoMessagesSucceedsWithoutCopyUid() throws Exception {
        seed("INBOX", null, msg("1"));
        Conn c = selected("INBOX");
        c.cmd("CREATE foo");
        Transcript.play(c, """
                C: a1 UID MOVE 99 foo
                S: a1 OK …
                """);
    }

    @Test
    void errors() throws Exception {
        seed("INBOX", null, msg("1"));
        Conn c = login(ALICE);
        assertThat(c.status("MOVE 1 INBOX")).startsWith("BAD ");
        c.cmd("EXAMINE INBOX");
        c.cmd("CREATE foo");
        assertThat(c.status("MOVE 1 foo")).startsWith("NO [READ-ONLY]");
        c.cmd("SELECT INBOX");
        Transcript.play(c, """
                C: a1 MOVE 1 nosuch
                S: a1 NO [TRYCREATE] No such mailbox
                C: a2 MOVE 2 foo
                S: a2 BAD …
                C: a3 MOVE 1
                S: a3 BAD …
                """);
    }
}
