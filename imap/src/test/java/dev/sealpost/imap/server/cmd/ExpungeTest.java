package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** EXPUNGE (RFC 9051 §6.4.3; VANISHED with QRESYNC, RFC 7162 §3.2.10). */
class ExpungeTest extends CommandTestBase {

    private Conn elevenWithDeleted() throws Exception {
        String[] m = new String[11];
        for (int i = 0; i < 11; i++) m[i] = msg("m" + (i + 1));
        seed("INBOX", null, m);
        Conn c = selected("INBOX");
        c.cmd("STORE 3,4,7,11 +FLAGS.SILENT (\\Deleted)");
        return c;
    }

    @Test
    void rfc9051Example() throws Exception {
        // messages 3, 4, 7 and 11 have \\Deleted. The RFC reports them lowest first, each number
        // relative to the mailbox after the previous expunge ("3 3 5 8"); this server reports them
        // highest first ("11 7 4 3"), which RFC 9051 §7.5.1 allows and which needs no renumbering
        Conn c = elevenWithDeleted();
        Transcript.play(c, """
                C: A202 EXPUNGE
                S: * 11 EXPUNGE
                S: * 7 EXPUNGE
                S: * 4 EXPUNGE
                S: * 3 EXPUNGE
                S: A202 OK EXPUNGE completed
                """);
    }

    @Test
    void rfc7162VanishedExample() throws Exception {
        Conn c = login(ALICE);
        c.cmd("ENABLE QRESYNC");
        String[] m = new String[11];
        for (int i = 0; i < 11; i++) m[i] = msg("m" + (i + 1));
        seed("INBOX", null, m);
        c.cmd("SELECT INBOX");
        c.cmd("STORE 3,4,7,11 +FLAGS.SILENT (\\Deleted)");
        Transcript.play(c, """
                C: A202 EXPUNGE
                S: * VANISHED 3:4,7,11
                # RFC 7162 §3.1.12 / §3.2.10 example: "OK [HIGHESTMODSEQ 20010715194045319] expunged"
                S: A202 OK [HIGHESTMODSEQ …] …
                """);
    }

    @Test
    void noExpungeResponsesDuringFetchStoreOrSearch() throws Exception {
        // RFC 9051 §7.5.1: EXPUNGE must not be sent while FETCH, STORE or SEARCH run (sequence numbers
        // would shift under the client); NOOP delivers it afterwards
        seed("INBOX", null, msg("1"), msg("2"), msg("3"));
        Conn c = selected("INBOX");
        Conn other = selected("INBOX");
        other.cmd("STORE 2 +FLAGS.SILENT (\\Deleted)");
        other.cmd("EXPUNGE");
        Transcript.play(c, """
                C: a1 FETCH 3 (UID)
                S: * 3 FETCH (UID 3)
                S: a1 OK FETCH completed
                C: a2 SEARCH ALL
                S: * SEARCH 1 2 3
                S: a2 OK SEARCH completed
                C: a3 NOOP
                S: * 2 EXPUNGE
                S: a3 OK NOOP completed
                C: a4 FETCH 2 (UID)
                S: * 2 FETCH (UID 3)
                S: a4 OK FETCH completed
                """);
    }

    @Test
    void commandsOnAMessageExpungedByAnotherSessionBeforeItWasReported() throws Exception {
        // RFC 9051 §7.5.1 / RFC 2180 §4.1: until the EXPUNGE is reported, the message keeps its
        // number; FETCH, STORE and COPY of it must not break the session (data, or a NO)
        seed("INBOX", null, msg("1"), msg("2"), msg("3"));
        Conn c = selected("INBOX");
        c.cmd("CREATE Other"); // before the expunge: CREATE may report expunges
        Conn other = selected("INBOX");
        other.cmd("STORE 2 +FLAGS.SILENT (\\Deleted)");
        other.cmd("EXPUNGE");
        java.util.List<String> f = c.cmd("FETCH 2 (UID BODY.PEEK[TEXT])");
        assertThat(f.getLast()).matches("t\\d+ (OK|NO) .*");
        assertThat(c.cmd("STORE 2 +FLAGS (\\Seen)").getLast()).matches("t\\d+ (OK|NO) .*");
        assertThat(c.cmd("COPY 2 Other").getLast()).matches("t\\d+ (OK|NO) .*");
        Transcript.play(c, """
                C: n1 NOOP
                S: * 2 EXPUNGE
                S: n1 OK NOOP completed
                """);
    }

    @Test
    void errors() throws Exception {
        seed("INBOX", "\\Deleted", msg("a"));
        Conn c = login(ALICE);
        assertThat(c.status("EXPUNGE")).startsWith("BAD "); // selected state only
        c.cmd("EXAMINE INBOX");
        assertThat(c.status("EXPUNGE")).isEqualTo("NO [READ-ONLY] Mailbox is read-only");
        c.cmd("SELECT INBOX");
        assertThat(c.status("EXPUNGE 1")).startsWith("BAD ");
    }
}
