package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RENAME (RFC 9051 §6.3.6). Attributes as in {@link DeleteTest}: the server adds child attributes. */
class RenameTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        Conn c = login(ALICE);
        c.cmd("CREATE blurdybloop");
        c.cmd("CREATE foo/bar");
        Transcript.play(c, """
                C: A682 LIST "" *
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: * LIST (\\HasNoChildren) "/" "blurdybloop"
                S: * LIST (\\HasChildren) "/" "foo"
                S: * LIST (\\HasNoChildren) "/" "foo/bar"
                S: A682 OK LIST completed
                C: A683 RENAME blurdybloop sarasoop
                S: A683 OK RENAME completed
                C: A684 RENAME foo zowie
                S: A684 OK RENAME completed
                C: A685 LIST "" *
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: * LIST (\\HasNoChildren) "/" "sarasoop"
                S: * LIST (\\HasChildren) "/" "zowie"
                S: * LIST (\\HasNoChildren) "/" "zowie/bar"
                S: A685 OK LIST completed
                """);
    }

    @Test
    void rfc9051RenameInboxExample() throws Exception {
        seed("INBOX", null, msg("a"));
        Conn c = login(ALICE);
        c.cmd("CREATE INBOX/bar");
        Transcript.play(c, """
                C: Z432 LIST "" *
                S: * LIST (\\HasChildren) "/" "INBOX"
                S: * LIST (\\HasNoChildren) "/" "INBOX/bar"
                S: Z432 OK LIST completed
                C: Z433 RENAME INBOX old-mail
                S: Z433 OK RENAME completed
                C: Z434 LIST "" *
                S: * LIST (\\HasChildren) "/" "INBOX"
                S: * LIST (\\HasNoChildren) "/" "INBOX/bar"
                S: * LIST (\\HasNoChildren) "/" "old-mail"
                S: Z434 OK LIST completed
                """);
        // RFC 9051 §6.3.6: renaming INBOX moves its messages and leaves INBOX empty
        assertThat(c.cmd("STATUS old-mail (MESSAGES)").getFirst()).isEqualTo("* STATUS \"old-mail\" (MESSAGES 1)");
        assertThat(c.cmd("STATUS INBOX (MESSAGES)").getFirst()).isEqualTo("* STATUS \"INBOX\" (MESSAGES 0)");
    }

    @Test
    void errors() throws Exception {
        Conn c = login(ALICE);
        c.cmd("CREATE a");
        c.cmd("CREATE b");
        Transcript.play(c, """
                C: a1 RENAME nosuch x
                S: a1 NO [NONEXISTENT] No such mailbox
                C: a2 RENAME a b
                S: a2 NO [ALREADYEXISTS] Target mailbox already exists
                C: a3 RENAME a
                S: a3 BAD …
                C: a4 RENAME a "x*y"
                S: a4 NO [CANNOT] …
                C: a5 RENAME a "Other Users/bob@example.test/a"
                S: a5 NO [NOPERM] …
                """);
    }
}
