package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** UNSELECT (RFC 3691, RFC 9051 §6.4.2). */
class UnselectTest extends CommandTestBase {

    @Test
    void rfc3691ExampleKeepsDeletedMessages() throws Exception {
        seed("INBOX", "\\Deleted", msg("a"));
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A342 UNSELECT
                # RFC 3691 prints "OK Unselect completed"; the text is free
                S: A342 OK …
                C: A343 STATUS INBOX (MESSAGES)
                S: * STATUS "INBOX" (MESSAGES 1)
                S: A343 OK STATUS completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = login(ALICE);
        assertThat(c.status("UNSELECT")).startsWith("BAD "); // RFC 3691 §2: BAD if no mailbox is selected
        c.cmd("SELECT INBOX");
        assertThat(c.status("UNSELECT x")).startsWith("BAD ");
        assertThat(c.status("UNSELECT")).startsWith("OK ");
        assertThat(c.status("FETCH 1 FLAGS")).startsWith("BAD ");
    }
}
