package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** STATUS (RFC 9051 §6.3.11; STATUS=SIZE RFC 8438; HIGHESTMODSEQ RFC 7162 §3.1.6). */
class StatusTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        seed("blurdybloop", null, msg("a"), msg("b"), msg("c"));
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: A042 STATUS blurdybloop (UIDNEXT MESSAGES)
                # RFC 9051 does not fix the order of status items; this server answers in the order asked
                # (the RFC's server reorders them to "MESSAGES 231 UIDNEXT 44292")
                S: * STATUS "blurdybloop" (UIDNEXT 4 MESSAGES 3)
                S: A042 OK STATUS completed
                """);
    }

    @Test
    void allItems() throws Exception {
        seed("INBOX", "\\Seen", msg("a"));
        seed("INBOX", "\\Deleted", msg("b"));
        long v = uidValidity("INBOX");
        Conn c = login(ALICE);
        String r = c.cmd("STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE HIGHESTMODSEQ)").getFirst();
        assertThat(r).startsWith("* STATUS \"INBOX\" (").contains("MESSAGES 2", "UIDNEXT 3", "UIDVALIDITY " + v, "UNSEEN 1", "DELETED 1")
                .containsPattern("SIZE \\d+").containsPattern("HIGHESTMODSEQ \\d+");
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("STATUS INBOX (MESSAGES)")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        Transcript.play(c, """
                C: a1 STATUS nosuch (MESSAGES)
                S: a1 NO [NONEXISTENT] No such mailbox
                C: a2 STATUS INBOX (FOO)
                S: a2 BAD …
                C: a3 STATUS INBOX MESSAGES
                S: a3 BAD …
                C: a4 STATUS INBOX ()
                S: a4 BAD …
                """);
    }
}
