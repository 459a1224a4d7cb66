package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** EXAMINE (RFC 9051 §6.3.3). */
class ExamineTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        seed("blurdybloop", null, msg("a"), msg("b"));
        long v = uidValidity("blurdybloop");
        Conn c = login(ALICE);
        c.cmd("ENABLE IMAP4rev2");
        Transcript.play(c, """
                C: A932 EXAMINE blurdybloop
                S? * 2 EXISTS
                S? * OK [UIDVALIDITY %d] UIDs valid
                S? * OK [UIDNEXT 3] Predicted next UID
                S? * LIST (…) "/" "blurdybloop"
                S? * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
                S? * OK [PERMANENTFLAGS ()] No permanent flags permitted
                S: A932 OK [READ-ONLY] EXAMINE completed
                """.formatted(v));
    }

    @Test
    void readOnlyRefusesChangesAndFetchDoesNotSetSeen() throws Exception {
        seed("INBOX", null, msg("a"));
        Conn c = login(ALICE);
        c.cmd("EXAMINE INBOX");
        assertThat(c.status("STORE 1 +FLAGS (\\Deleted)")).startsWith("NO [READ-ONLY]");
        assertThat(c.status("EXPUNGE")).startsWith("NO [READ-ONLY]");
        c.cmd("FETCH 1 BODY[TEXT]");
        // EXAMINE never claims \\Recent (RFC 3501 §6.3.2) and a read-only FETCH never sets \\Seen
        assertThat(Transcript.rev2(c.cmd("FETCH 1 FLAGS").getFirst())).isEqualTo("* 1 FETCH (FLAGS ())");
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("EXAMINE INBOX")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("EXAMINE nosuch")).isEqualTo("NO [NONEXISTENT] No such mailbox");
        assertThat(c.status("EXAMINE")).startsWith("BAD ");
    }
}
