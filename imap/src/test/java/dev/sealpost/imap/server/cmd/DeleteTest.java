package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** DELETE (RFC 9051 §6.3.5). */
class DeleteTest extends CommandTestBase {

    @Test
    void rfc9051SecondExample() throws Exception {
        // the RFC's LIST responses carry no child attributes; this server always sends
        // \\HasChildren / \\HasNoChildren (RFC 9051 §7.3.1 CHILDREN), and lists INBOX too
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: B681 CREATE blurdybloop
                S: B681 OK CREATE completed
                C: B682 CREATE foo/bar
                S: B682 OK CREATE completed
                C: B683 LIST "" *
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: * LIST (\\HasNoChildren) "/" "blurdybloop"
                S: * LIST (\\HasChildren) "/" "foo"
                S: * LIST (\\HasNoChildren) "/" "foo/bar"
                S: B683 OK LIST completed
                C: B684 DELETE foo
                S: B684 OK DELETE completed
                C: B685 LIST "" *
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: * LIST (\\HasNoChildren) "/" "blurdybloop"
                S: * LIST (\\Noselect \\HasChildren) "/" "foo"
                S: * LIST (\\HasNoChildren) "/" "foo/bar"
                S: B685 OK LIST completed
                C: B686 DELETE blurdybloop
                S: B686 OK DELETE completed
                C: B687 DELETE foo/bar
                S: B687 OK DELETE completed
                C: B688 LIST "" *
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: B688 OK LIST completed
                """);
    }

    @Test
    void deletingANoselectSuperiorWithChildrenFails() throws Exception {
        // RFC 9051 §6.3.5 first example: "DELETE foo" where foo is \\Noselect with inferiors is NO
        Conn c = login(ALICE);
        c.cmd("CREATE foo/bar");
        c.cmd("DELETE foo");
        Transcript.play(c, """
                C: A684 DELETE foo
                S: A684 NO …
                C: A685 DELETE foo/bar
                S: A685 OK DELETE completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = login(ALICE);
        c.cmd("CREATE Work");
        c.cmd("SELECT Work");
        Transcript.play(c, """
                C: a1 DELETE nosuch
                S: a1 NO [NONEXISTENT] No such mailbox
                C: a2 DELETE INBOX
                S: a2 NO …
                C: a3 DELETE
                S: a3 BAD …
                C: a4 DELETE Work
                S: a4 NO [INUSE] …
                """);
        assertThat(c.status("CLOSE")).isEqualTo("OK CLOSE completed");
        assertThat(c.status("DELETE Work")).isEqualTo("OK DELETE completed");
    }
}
