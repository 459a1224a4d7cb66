package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SEARCH (RFC 9051 §6.4.4, RFC 3501 §6.4.4; ESEARCH RFC 4731; SEARCHRES RFC 5182). */
class SearchTest extends CommandTestBase {

    /** 11 messages; 2, 5, 10, 11 are \Flagged; 5 is from Smith; all arrived after 1-Feb-1994. */
    @BeforeEach
    void fixture() throws Exception {
        for (int i = 1; i <= 11; i++) {
            String from = i == 5 ? "John Smith <smith@example.test>" : "Alice <alice@example.test>";
            String flags = (i == 2 || i == 5 || i >= 10) ? "\\Flagged" : null;
            seed("INBOX", flags, msg(from, "message " + i, "Mon, 23 Nov 2026 08:00:00 +0000", i == 7 ? "XXXXXX" : "text " + i));
        }
    }

    @Test
    void rfc9051Examples() throws Exception {
        Conn c = login(ALICE);
        c.cmd("ENABLE IMAP4rev2");
        c.cmd("SELECT INBOX");
        Transcript.play(c, """
                C: A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
                S: * ESEARCH (TAG "A282") MIN 2 COUNT 3
                S: A282 OK SEARCH completed
                C: A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
                S: * ESEARCH (TAG "A283") ALL 2,10:11
                S: A283 OK SEARCH completed
                C: A284 SEARCH TEXT "string not in mailbox"
                S: * ESEARCH (TAG "A284")
                S: A284 OK SEARCH completed
                C: A285 SEARCH CHARSET UTF-8 TEXT {6}
                S~ \\+ .*
                C: XXXXXX
                S: * ESEARCH (TAG "A285") ALL 7
                S: A285 OK SEARCH completed
                """);
    }

    @Test
    void rfc3501Example() throws Exception {
        Conn c = selected("INBOX"); // an IMAP4rev1 client gets SEARCH responses
        Transcript.play(c, """
                C: A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
                S: * SEARCH 2 10 11
                S: A282 OK SEARCH completed
                C: A283 SEARCH TEXT "string not in mailbox"
                S: * SEARCH
                S: A283 OK SEARCH completed
                """);
    }

    @Test
    void rfc4731Examples() throws Exception {
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
                S: * ESEARCH (TAG "A282") MIN 2 COUNT 3
                S: A282 OK SEARCH completed
                C: A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
                S: * ESEARCH (TAG "A283") ALL 2,10:11
                S: A283 OK SEARCH completed
                C: A284 UID SEARCH RETURN (MIN MAX) 1:5000
                S: * ESEARCH (TAG "A284") UID MIN 1 MAX 11
                S: A284 OK SEARCH completed
                C: A285 UID SEARCH RETURN (ALL) 1:5000
                S: * ESEARCH (TAG "A285") UID ALL 1:11
                S: A285 OK SEARCH completed
                """);
    }

    @Test
    void rfc5182SaveAndReuse() throws Exception {
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
                S: A282 OK SEARCH completed
                C: A283 FETCH $ (UID)
                S: * 2 FETCH (UID 2)
                S: * 10 FETCH (UID 10)
                S: * 11 FETCH (UID 11)
                S: A283 OK FETCH completed
                """);
    }

    @Test
    void rfc4731NoMatchesGivesOnlyTheCorrelator() throws Exception {
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A1 UID SEARCH RETURN (MIN MAX COUNT) TEXT "string not in mailbox"
                S~ \\* ESEARCH \\(TAG "A1"\\) UID( COUNT 0)?
                S: A1 OK SEARCH completed
                """);
    }

    @Test
    void rfc7162ModseqExample() throws Exception {
        Conn c = selected("INBOX");
        c.cmd("ENABLE CONDSTORE");
        long base = Long.parseLong(c.cmd("FETCH 11 (MODSEQ)").getFirst().replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1"));
        c.cmd("STORE 3 +FLAGS.SILENT (\\Draft)");
        // RFC 7162 §3.1.5: "SEARCH MODSEQ "/flags/\\draft" all 620162338" -> "* SEARCH ... (MODSEQ n)"
        Transcript.play(c, """
                C: a SEARCH MODSEQ "/flags/\\\\draft" all %d
                S~ \\* SEARCH 3 \\(MODSEQ \\d+\\)
                S: a OK SEARCH completed
                """.formatted(base + 1)); // "equal to or greater than" (§3.1.5): base itself would match message 11
    }

    @Test
    void errors() throws Exception {
        Conn c = login(ALICE);
        assertThat(c.status("SEARCH ALL")).startsWith("BAD "); // selected state only
        c.cmd("SELECT INBOX");
        List<String> r = c.cmd("SEARCH CHARSET X-UNKNOWN TEXT foo");
        // RFC 9051 §6.4.4: NO [BADCHARSET (supported charsets)]
        assertThat(r.getLast()).matches("t\\d+ NO \\[BADCHARSET \\(.*UTF-8.*\\)\\] .*");
        assertThat(c.status("SEARCH FOO")).startsWith("BAD ");
        assertThat(c.status("SEARCH SINCE notadate")).startsWith("BAD ");
        assertThat(c.status("SEARCH (FLAGGED")).startsWith("BAD ");
        assertThat(c.status("SEARCH 1:*")).isEqualTo("OK SEARCH completed");
    }
}
