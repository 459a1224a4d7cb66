package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** STORE (RFC 9051 §6.4.6; UNCHANGEDSINCE / MODIFIED RFC 7162 §3.1.3). */
class StoreTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        // message 2 has \\Seen, 3 nothing, 4 \\Flagged \\Seen; flag order is not compared (see Transcript)
        seed("INBOX", null, msg("1"));
        seed("INBOX", "\\Seen", msg("2"));
        seed("INBOX", null, msg("3"));
        seed("INBOX", "\\Flagged \\Seen", msg("4"));
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A003 STORE 2:4 +FLAGS (\\Deleted)
                S: * 2 FETCH (FLAGS (\\Deleted \\Seen))
                S: * 3 FETCH (FLAGS (\\Deleted))
                S: * 4 FETCH (FLAGS (\\Deleted \\Flagged \\Seen))
                S: A003 OK STORE completed
                """);
    }

    @Test
    void silentReplaceRemoveAndUidStore() throws Exception {
        seed("INBOX", "\\Seen", msg("1"));
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: a1 STORE 1 FLAGS.SILENT (\\Answered $Label1)
                S: a1 OK STORE completed
                C: a2 STORE 1 -FLAGS (\\Answered)
                # RFC 9051 §7.3.5: the first FETCH with the new keyword comes after FLAGS naming it
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted
                S: * 1 FETCH (FLAGS ($Label1))
                S: a2 OK STORE completed
                C: a3 UID STORE 1 +FLAGS (\\Draft)
                S: * 1 FETCH (UID 1 FLAGS (\\Draft $Label1))
                S: a3 OK STORE completed
                """);
    }

    @Test
    void rfc7162UnchangedSinceExamples() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"), msg("3"));
        Conn c = selected("INBOX");
        c.cmd("ENABLE CONDSTORE");
        long base = Long.parseLong(c.cmd("FETCH 3 (MODSEQ)").getFirst().replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1"));
        // RFC 7162 §3.1.3 example 8: all unchanged -> each message's new MODSEQ, flags silent
        Transcript.play(c, """
                C: a103 UID STORE 1:3 (UNCHANGEDSINCE %d) +FLAGS.SILENT (\\Seen)
                S~ \\* 1 FETCH \\(UID 1 MODSEQ \\(\\d+\\)\\)
                S~ \\* 2 FETCH \\(UID 2 MODSEQ \\(\\d+\\)\\)
                S~ \\* 3 FETCH \\(UID 3 MODSEQ \\(\\d+\\)\\)
                S: a103 OK STORE completed
                """.formatted(base));
        // another session changes 1 and 3; example 10: "OK [MODIFIED 7,9] Conditional STORE failed"
        long now = Long.parseLong(c.cmd("FETCH 3 (MODSEQ)").getFirst().replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1"));
        Conn other = selected("INBOX");
        other.cmd("STORE 1,3 +FLAGS (\\Answered)");
        Transcript.play(c, """
                C: d105 STORE 1:3 (UNCHANGEDSINCE %d) +FLAGS.SILENT (\\Deleted)
                S~ \\* 2 FETCH \\(MODSEQ \\(\\d+\\)\\)
                # the changes made by the other session (RFC 7162 §3.1.3: the server may report them)
                S: * 1 FETCH (UID 1 FLAGS (\\Seen \\Answered) MODSEQ (…))
                S: * 3 FETCH (UID 3 FLAGS (\\Seen \\Answered) MODSEQ (…))
                S: d105 OK [MODIFIED 1,3] Conditional STORE failed
                """.formatted(now));
    }

    @Test
    void errors() throws Exception {
        seed("INBOX", null, msg("1"));
        Conn c = login(ALICE);
        assertThat(c.status("STORE 1 +FLAGS (\\Seen)")).startsWith("BAD ");
        c.cmd("SELECT INBOX");
        Transcript.play(c, """
                C: a1 STORE 1 +FLAGS (\\Bogus)
                S: a1 BAD …
                C: a2 STORE 1 FOO (\\Seen)
                S: a2 BAD …
                C: a3 STORE 2 +FLAGS (\\Seen)
                S: a3 BAD …
                C: a4 STORE 1 +FLAGS
                S: a4 BAD …
                C: a5 STORE 1 (FOO 1) +FLAGS (\\Seen)
                S: a5 BAD …
                """);
        c.cmd("EXAMINE INBOX");
        assertThat(c.status("STORE 1 +FLAGS (\\Seen)")).isEqualTo("NO [READ-ONLY] Mailbox is read-only");
    }
}
