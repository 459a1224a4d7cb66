package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GETACL / SETACL / DELETEACL / LISTRIGHTS / MYRIGHTS (RFC 4314). The RFC's identifiers ("Fred",
 * "smith") are the fixture's account addresses; the server quotes names and identifiers.
 */
class AclTest extends CommandTestBase {

    @Test
    void rfc4314Examples() throws Exception {
        Conn c = login(ALICE);
        c.cmd("CREATE saved");
        Transcript.play(c, """
                C: A001 GETACL INBOX
                S: * ACL "INBOX" "alice@example.test" lrswipkxtea
                S: A001 OK GETACL completed
                C: A002 SETACL saved bob@example.test lrswi
                S: A002 OK SETACL completed
                C: A003 GETACL saved
                S: * ACL "saved" "alice@example.test" lrswipkxtea "bob@example.test" "lrswi"
                S: A003 OK GETACL completed
                C: A004 SETACL saved bob@example.test -wi
                S: A004 OK SETACL completed
                C: A005 SETACL saved bob@example.test +t
                S: A005 OK SETACL completed
                C: A006 GETACL saved
                S: * ACL "saved" "alice@example.test" lrswipkxtea "bob@example.test" "lrst"
                S: A006 OK GETACL completed
                C: a001 LISTRIGHTS saved bob@example.test
                S: * LISTRIGHTS "saved" "bob@example.test" "" l r s w i p k x t e a
                S: a001 OK LISTRIGHTS completed
                C: A007 MYRIGHTS INBOX
                S: * MYRIGHTS "INBOX" lrswipkxtea
                S: A007 OK MYRIGHTS completed
                C: A008 DELETEACL saved bob@example.test
                S: A008 OK DELETEACL completed
                C: A009 GETACL saved
                S: * ACL "saved" "alice@example.test" lrswipkxtea
                S: A009 OK GETACL completed
                """);
    }

    @Test
    void sharedMailboxRightsAreEnforced() throws Exception {
        Conn alice = login(ALICE);
        alice.cmd("CREATE Team");
        alice.cmd("SETACL Team bob@example.test lr");
        Conn bob = login(BOB);
        Transcript.play(bob, """
                C: b1 MYRIGHTS "Other Users/alice@example.test/Team"
                S: * MYRIGHTS "Other Users/alice@example.test/Team" lr
                S: b1 OK MYRIGHTS completed
                C: b2 SETACL "Other Users/alice@example.test/Team" bob@example.test lrswi
                S: b2 NO [NOPERM] …
                C: b3 GETACL "Other Users/alice@example.test/Team"
                S: b3 NO [NOPERM] …
                C: b4 DELETE "Other Users/alice@example.test/Team"
                S: b4 NO [NOPERM] …
                """);
        alice.cmd("DELETEACL Team bob@example.test");
        // RFC 4314 §6: without l or r the mailbox's existence is not revealed
        assertThat(bob.status("MYRIGHTS \"Other Users/alice@example.test/Team\"")).startsWith("NO [NONEXISTENT]");
    }

    @Test
    void rfc4314ObsoleteRightsCAndDAreMapped() throws Exception {
        // RFC 4314 §2.1.1: "c" and "d" from RFC 2086 are accepted; "d" grants t, e (and x), "c" grants k (and x)
        Conn c = login(ALICE);
        c.cmd("CREATE saved");
        assertThat(c.status("SETACL saved bob@example.test lrd")).isEqualTo("OK SETACL completed");
        assertThat(c.cmd("GETACL saved").getFirst()).matches("\\* ACL \"saved\" \"alice@example.test\" lrswipkxtea \"bob@example.test\" \"lr[a-z]*\"")
                .contains("t").contains("e");
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("GETACL INBOX")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        Transcript.play(c, """
                C: a1 GETACL nosuch
                S: a1 NO [NONEXISTENT] No such mailbox
                C: a2 SETACL INBOX bob@example.test lrz
                S: a2 BAD …
                C: a3 SETACL INBOX -bob@example.test l
                S: a3 NO [CANNOT] …
                C: a4 SETACL INBOX alice@example.test lr
                S: a4 NO [CANNOT] …
                C: a5 SETACL INBOX bob@example.test
                S: a5 BAD …
                C: a6 LISTRIGHTS nosuch bob@example.test
                S: a6 NO [NONEXISTENT] …
                """);
    }
}
