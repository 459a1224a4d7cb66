package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CREATE (RFC 9051 §6.3.4; CREATE-SPECIAL-USE RFC 6154 §3). */
class CreateTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: A003 CREATE owatagusiam/
                S: A003 OK CREATE completed
                C: A004 CREATE owatagusiam/blurdybloop
                S: A004 OK CREATE completed
                C: A005 LIST "" "owatagusiam*"
                S: * LIST (\\HasChildren) "/" "owatagusiam"
                S: * LIST (\\HasNoChildren) "/" "owatagusiam/blurdybloop"
                S: A005 OK LIST completed
                """);
    }

    @Test
    void specialUse() throws Exception {
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: t1 CREATE MySpecialArchive (USE (\\Archive))
                S: t1 OK CREATE completed
                C: t2 LIST "" MySpecialArchive
                S: * LIST (\\HasNoChildren \\Archive) "/" "MySpecialArchive"
                S: t2 OK LIST completed
                C: t3 CREATE Other (USE (\\Archive \\Drafts))
                S: t3 NO [USEATTR] …
                """);
    }

    @Test
    void rfc9051ModifiedUtf7Example() throws Exception {
        // RFC 9051 §5.1.3: "&U,BTFw-/&ZeVnLIqe-" is 台北/日本語 in modified UTF-7
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: a1 CREATE "&U,BTFw-/&ZeVnLIqe-"
                S: a1 OK CREATE completed
                C: a2 LIST "" "&U,BTFw-/*"
                S: * LIST (\\HasNoChildren) "/" "&U,BTFw-/&ZeVnLIqe-"
                S: a2 OK LIST completed
                C: a3 ENABLE UTF8=ACCEPT
                S: * ENABLED UTF8=ACCEPT
                S: a3 OK ENABLE completed
                C: a4 LIST "" "台北/*"
                S: * LIST (\\HasNoChildren) "/" {%d}
                S: 台北/日本語
                S: a4 OK LIST completed
                """.formatted("台北/日本語".getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    }

    @Test
    void invalidModifiedUtf7IsRefusedWithCannot() throws Exception {
        // RFC 3501 §5.1.3 names must be valid modified UTF-7; like Dovecot (imaptest "atoms") we answer
        // NO [CANNOT] (RFC 5530: the name cannot be created) rather than BAD, and create nothing
        Conn c = login(ALICE);
        assertThat(c.status("CREATE \"&Jjo!\"")).startsWith("NO [CANNOT] ");
        assertThat(c.status("CREATE \"&U,BTFw\"")).startsWith("NO [CANNOT] ");
        assertThat(c.cmd("LIST \"\" \"&*\"")).noneMatch(l -> l.startsWith("* LIST"));
    }

    @Test
    void renameCreatesSuperiors() throws Exception {
        // RFC 9051 §6.3.6: superiors needed by the new name appear (here as \\Noselect levels)
        Conn c = login(ALICE);
        c.cmd("CREATE a");
        assertThat(c.status("RENAME a x/y/z")).isEqualTo("OK RENAME completed");
        assertThat(c.cmd("LIST \"\" \"x*\"")).hasSize(4).allMatch(l -> !l.startsWith("* LIST") || l.contains("HasChildren") || l.endsWith("\"x/y/z\""));
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("CREATE x")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        Transcript.play(c, """
                C: a1 CREATE INBOX
                S: a1 NO [ALREADYEXISTS] …
                C: a2 CREATE inbox
                S: a2 NO [ALREADYEXISTS] …
                C: a3 CREATE Work
                S: a3 OK CREATE completed
                C: a4 CREATE Work
                S: a4 NO [ALREADYEXISTS] Mailbox already exists
                C: a5 CREATE "a*b"
                S: a5 NO [CANNOT] …
                C: a6 CREATE "a//b"
                S: a6 NO [CANNOT] …
                C: a7 CREATE
                S: a7 BAD …
                C: a8 CREATE "Other Users/bob@example.test/x"
                S: a8 NO [NOPERM] …
                """);
    }

    @Test
    void mailboxCountIsBounded() throws Exception {
        long acc = store.directory().account(ALICE).orElseThrow().id();
        int have = store.mailboxes().list(acc).size(); // INBOX and the default special-use mailboxes
        dev.sealpost.imap.server.ImapServerConfig cfg = config(false, true);
        int p = start(cfg.withLimits(cfg.limits().withMaxMailboxes(have + 2)));
        Conn c = connect(p);
        c.cmd("LOGIN " + ALICE + " " + PW);
        // RFC 5530 [LIMIT]; a CREATE that would add a superior too counts both (RFC 9051 §6.3.4)
        Transcript.play(c, """
                C: a1 CREATE one
                S: a1 OK CREATE completed
                C: a2 CREATE two/three
                S: a2 NO [LIMIT] At most %d mailboxes per account
                C: a3 CREATE two
                S: a3 OK CREATE completed
                C: a4 CREATE four
                S: a4 NO [LIMIT] At most %d mailboxes per account
                C: a5 DELETE one
                S: a5 OK DELETE completed
                C: a6 CREATE four
                S: a6 OK CREATE completed
                """.formatted(have + 2, have + 2));
        assertThat(store.mailboxes().list(acc)).hasSize(have + 2);
    }
}
