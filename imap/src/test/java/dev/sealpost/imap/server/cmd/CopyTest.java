package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** COPY (RFC 9051 §6.4.7; COPYUID RFC 4315 §3). */
class CopyTest extends CommandTestBase {

    @Test
    void rfc9051AndRfc4315Example() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"), msg("3"), msg("4"));
        Conn c = selected("INBOX");
        c.cmd("CREATE MEETING");
        long v = uidValidity("MEETING");
        // RFC 9051 prints "OK COPY completed"; with UIDPLUS the code is RFC 4315's COPYUID
        Transcript.play(c, """
                C: A003 COPY 2:4 MEETING
                S: A003 OK [COPYUID %1$d 2:4 1:3] COPY completed
                C: A004 UID COPY 1,3 MEETING
                S: A004 OK [COPYUID %1$d 1,3 4:5] COPY completed
                """.formatted(v));
        assertThat(c.cmd("STATUS MEETING (MESSAGES)").getFirst()).isEqualTo("* STATUS \"MEETING\" (MESSAGES 5)");
    }

    @Test
    void errors() throws Exception {
        seed("INBOX", null, msg("1"));
        Conn c = login(ALICE);
        assertThat(c.status("COPY 1 INBOX")).startsWith("BAD ");
        c.cmd("SELECT INBOX");
        Transcript.play(c, """
                C: a1 COPY 1 nosuch
                S: a1 NO [TRYCREATE] No such mailbox
                C: a2 COPY 2 INBOX
                S: a2 BAD …
                C: a3 COPY 1
                S: a3 BAD …
                C: a4 UID COPY 99 INBOX
                S: a4 OK …
                """);
    }

    @Test
    void copyToTheSelectedMailboxReportsExists() throws Exception {
        seed("INBOX", null, msg("1"));
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: a1 COPY 1 INBOX
                S: * 2 EXISTS
                S: a1 OK [COPYUID … 1 2] COPY completed
                """);
    }

    @Test
    void overQuota() throws Exception {
        seed("INBOX", null, msg("1") + "x".repeat(1500) + "\r\n");
        store.directory().setQuota(ALICE, 2048);
        Conn c = selected("INBOX");
        assertThat(c.status("COPY 1 INBOX")).isEqualTo("NO [OVERQUOTA] Quota exceeded");
    }
}
