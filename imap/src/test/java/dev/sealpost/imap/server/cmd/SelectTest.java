package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SELECT (RFC 9051 §6.3.2; CONDSTORE / QRESYNC parameters RFC 7162 §3.1.8, §3.2.5). */
class SelectTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        // the RFC's INBOX has 172 messages and UIDNEXT 4392; ours has 3 (UIDs 1..3)
        seed("INBOX", null, msg("a"), msg("b"), msg("c"));
        long v = uidValidity("INBOX");
        Conn c = login(ALICE);
        c.cmd("ENABLE IMAP4rev2");
        // RFC 9051 does not fix the order of these untagged responses; PERMANENTFLAGS lists what this
        // server permits (all system flags and keywords) where the RFC's server says "(\\Deleted \\Seen \\*)"
        Transcript.play(c, """
                C: A142 SELECT INBOX
                S? * 3 EXISTS
                S? * OK [UIDVALIDITY %d] UIDs valid
                S? * OK [UIDNEXT 4] Predicted next UID
                S? * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
                S? * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] …
                S? * LIST (…) "/" "INBOX"
                S: A142 OK [READ-WRITE] SELECT completed
                """.formatted(v));
    }

    @Test
    void imap4rev1ResponsesWithoutEnable() throws Exception {
        seed("INBOX", "\\Seen", msg("a"));
        seed("INBOX", null, msg("b"));
        Conn c = login(ALICE);
        // RFC 3501 §6.3.1 responses for clients that did not ENABLE IMAP4rev2: RECENT and UNSEEN
        // the first session to select the mailbox sees both new messages as recent (RFC 3501 §2.3.2)
        assertThat(c.cmd("SELECT INBOX")).contains("* 2 RECENT", "* OK [UNSEEN 2] First unseen");
    }

    @Test
    void condstoreParameterAndClosedOnReselect() throws Exception {
        Conn c = login(ALICE);
        c.cmd("CREATE other");
        c.cmd("SELECT INBOX");
        // RFC 7162 §3.1.8 SELECT (CONDSTORE) enables CONDSTORE; §3.2.11 / RFC 9051: [CLOSED] before the new mailbox
        Transcript.play(c, """
                C: A1 SELECT other (CONDSTORE)
                S? * FLAGS (…)
                S? * 0 EXISTS
                S? * 0 RECENT
                S? * OK [UIDVALIDITY …] UIDs valid
                S? * OK [UIDNEXT 1] …
                S? * OK [PERMANENTFLAGS (…)] …
                S? * OK [HIGHESTMODSEQ …] …
                S: A1 OK [READ-WRITE] SELECT completed
                C: A2 SELECT INBOX
                S: * OK [CLOSED] …
                S? * FLAGS (…)
                S? * 0 EXISTS
                S? * 0 RECENT
                S? * OK [UIDVALIDITY …] UIDs valid
                S? * OK [UIDNEXT 1] …
                S? * OK [PERMANENTFLAGS (…)] …
                S? * OK [HIGHESTMODSEQ …] …
                S: A2 OK [READ-WRITE] SELECT completed
                """);
    }

    @Test
    void rfc7162QresyncExample() throws Exception {
        // RFC 7162 §3.2.5.2: SELECT (QRESYNC (uidvalidity modseq known-uids)) replays what changed:
        // VANISHED (EARLIER) for expunged UIDs and FETCH for changed flags
        seed("INBOX", null, msg("1"), msg("2"), msg("3"), msg("4"), msg("5"));
        long v = uidValidity("INBOX");
        Conn first = login(ALICE);
        first.cmd("ENABLE QRESYNC");
        String hms = first.cmd("SELECT INBOX").stream().filter(l -> l.contains("HIGHESTMODSEQ")).findFirst().orElseThrow()
                .replaceAll(".*HIGHESTMODSEQ (\\d+).*", "$1");
        first.cmd("LOGOUT");
        Conn other = selected("INBOX");
        other.cmd("STORE 2 +FLAGS.SILENT (\\Deleted)");
        other.cmd("EXPUNGE");
        other.cmd("STORE 3 +FLAGS.SILENT (\\Flagged)"); // UID 4 is now message 3
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: A02 ENABLE QRESYNC
                S: * ENABLED QRESYNC
                S: A02 OK ENABLE completed
                C: A03 SELECT INBOX (QRESYNC (%d %s 1:5))
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
                S: * 4 EXISTS
                S: * 0 RECENT
                S: * OK [UNSEEN 1] …
                S: * OK [UIDVALIDITY %d] …
                S: * OK [UIDNEXT 6] …
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] …
                S: * OK [HIGHESTMODSEQ …] …
                S: * VANISHED (EARLIER) 2
                S: * 3 FETCH (UID 4 FLAGS (\\Flagged) MODSEQ (…))
                S: A03 OK [READ-WRITE] SELECT completed
                """.formatted(v, hms, v));
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("SELECT INBOX")).startsWith("BAD "); // not authenticated
        c.cmd("LOGIN " + ALICE + " " + PW);
        Transcript.play(c, """
                C: a1 SELECT nosuch
                S: a1 NO [NONEXISTENT] No such mailbox
                C: a2 SELECT
                S: a2 BAD …
                C: a3 SELECT INBOX (QRESYNC (1 1))
                S: a3 BAD …
                C: a4 SELECT INBOX (FOO)
                S: a4 BAD …
                """);
        // a failed SELECT leaves no mailbox selected (RFC 9051 §6.3.2)
        c.cmd("SELECT INBOX");
        assertThat(c.status("SELECT nosuch")).startsWith("NO [NONEXISTENT]");
        assertThat(c.status("FETCH 1:* FLAGS")).startsWith("BAD ");
    }
}
