package dev.sealpost.imap.server.cmd;

import dev.sealpost.imap.server.ImapServerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** FETCH (RFC 9051 §6.4.5, §7.5.2; CONDSTORE RFC 7162 §3.1.4; BINARY RFC 3516). */
class FetchTest extends CommandTestBase {

    static final String M1 = "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nFrom: Fred Foobar <foobar@Blurdybloop.example>\r\n"
            + "Subject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu.example\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n";

    @Test
    void rfc9051Example() throws Exception {
        // RFC 9051 §6.4.5 "FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])" with "...." as output;
        // the fixture's messages 2..4 make the output concrete. BODY[...] (not PEEK) sets \Seen,
        // which the server reports in the same response (RFC 9051 §6.4.5)
        seed("INBOX", null, msg("one"), M1, M1, M1);
        Conn c = selected("INBOX");
        String h = "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nFrom: Fred Foobar <foobar@Blurdybloop.example>\r\n\r\n";
        Transcript.play(c, """
                C: A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])
                S: * 2 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (DATE FROM)] {%1$d}
                S: Date: Mon, 7 Feb 1994 21:52:25 -0800
                S: From: Fred Foobar <foobar@Blurdybloop.example>
                S:
                S: )
                S: * 3 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (DATE FROM)] {%1$d}
                S: Date: Mon, 7 Feb 1994 21:52:25 -0800
                S: From: Fred Foobar <foobar@Blurdybloop.example>
                S:
                S: )
                S: * 4 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (DATE FROM)] {%1$d}
                S: Date: Mon, 7 Feb 1994 21:52:25 -0800
                S: From: Fred Foobar <foobar@Blurdybloop.example>
                S:
                S: )
                S: A654 OK FETCH completed
                """.formatted(h.length()));
    }

    @Test
    void rfc9051FetchResponseExample() throws Exception {
        // RFC 9051 §7.5.2: "* 23 FETCH (FLAGS (\\Seen) RFC822.SIZE 44827)"
        seed("INBOX", "\\Seen", M1);
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: a1 FETCH 1 (FLAGS RFC822.SIZE)
                S: * 1 FETCH (FLAGS (\\Seen) RFC822.SIZE %d)
                S: a1 OK FETCH completed
                C: a2 UID FETCH 1 (FLAGS)
                S: * 1 FETCH (UID 1 FLAGS (\\Seen))
                S: a2 OK FETCH completed
                C: a3 FETCH 1 BODY.PEEK[TEXT]<0.10>
                # a string may be sent quoted or as a literal (RFC 9051 §4.3); this server uses literals for bodies
                S: * 1 FETCH (BODY[TEXT]<0> {10}
                S: Hello Joe,)
                S: a3 OK FETCH completed
                C: a4 FETCH 1 BODYSTRUCTURE
                # no Content-Type: the RFC 2045 §5.2 default text/plain; charset=us-ascii (values are case-insensitive)
                S: * 1 FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 55 1 NIL NIL NIL NIL))
                S: a4 OK FETCH completed
                """.formatted(M1.length()));
    }

    @Test
    void rfc7162ChangedSinceExample() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"), msg("3"));
        Conn c = selected("INBOX");
        c.cmd("ENABLE CONDSTORE");
        String ms = c.cmd("FETCH 3 (MODSEQ)").getFirst().replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1");
        c.cmd("STORE 2 +FLAGS.SILENT (\\Flagged)");
        // RFC 7162 §3.1.4.1 example: "FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)" returns only what changed
        Transcript.play(c, """
                C: s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE %s)
                S~ \\* 2 FETCH \\(UID 2 FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)
                S: s100 OK FETCH completed
                """.formatted(ms));
    }

    @Test
    void rfc7162VanishedExample() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"), msg("3"), msg("4"));
        Conn c = login(ALICE);
        c.cmd("ENABLE QRESYNC");
        String ms = c.cmd("SELECT INBOX").stream().filter(l -> l.contains("HIGHESTMODSEQ")).findFirst().orElseThrow()
                .replaceAll(".*HIGHESTMODSEQ (\\d+).*", "$1");
        Conn other = selected("INBOX");
        other.cmd("STORE 2 +FLAGS.SILENT (\\Deleted)");
        other.cmd("EXPUNGE");
        other.cmd("STORE 3 +FLAGS.SILENT (\\Seen)"); // UID 4
        // RFC 7162 §3.2.6: "UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)"; the VANISHED
        // (EARLIER) comes first, then the changed message (whose FETCH carries UID and MODSEQ)
        Transcript.play(c, """
                C: A02 UID FETCH 1:4 (FLAGS) (CHANGEDSINCE %s VANISHED)
                S: * VANISHED (EARLIER) 2
                # this session had not been told of the expunge yet: the ordinary VANISHED (which, unlike
                # EARLIER, shifts sequence numbers, §3.2.10) is allowed during UID FETCH (RFC 9051 §7.5.1)
                S: * VANISHED 2
                S: * 3 FETCH (UID 4 FLAGS (\\Seen) MODSEQ (…))
                S: A02 OK FETCH completed
                """.formatted(ms));
    }

    @Test
    void rfc3516BinaryExample() throws Exception {
        String mime = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAwQ=\r\n--b--\r\n";
        seed("INBOX", null, mime);
        Conn c = selected("INBOX");
        // RFC 3516 §4: BINARY.SIZE is the decoded size; the decoded bytes 00..04 contain NUL, so the
        // server must use a literal8 (~{n})
        Transcript.play(c, """
                C: a1 FETCH 1 (BINARY.SIZE[2])
                S: * 1 FETCH (BINARY.SIZE[2] 5)
                S: a1 OK FETCH completed
                """);
        c.send("a2 FETCH 1 BINARY.PEEK[2]");
        java.util.List<String> r = c.until("a2");
        assertThat(r.getFirst()).startsWith("* 1 FETCH (BINARY[2] ~{5}");
        assertThat(r.getLast()).isEqualTo("a2 OK FETCH completed");
    }

    @Test
    void uidRangesOverAnEmptyMailboxAreEmptyNotErrors() throws Exception {
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: a1 UID FETCH 1:* FLAGS
                S: a1 OK FETCH completed
                C: a2 UID SEARCH UID 1:*
                S: * SEARCH
                S: a2 OK SEARCH completed
                # RFC 9051 §9 (seq-number) says the server "should" answer BAD when "*" is used in an
                # empty mailbox; this server deliberately answers OK for ranges with "*" (clients send
                # "FETCH 1:* FLAGS" right after selecting an empty mailbox) and BAD for plain numbers
                C: a3 FETCH 1:* FLAGS
                S: a3 OK FETCH completed
                C: a4 FETCH 1 FLAGS
                S: a4 BAD …
                """);
    }

    @Test
    void errors() throws Exception {
        seed("INBOX", null, "Content-Type: text/plain\r\nContent-Transfer-Encoding: x-unknown\r\n\r\nabc\r\n");
        Conn c = login(ALICE);
        assertThat(c.status("FETCH 1 FLAGS")).startsWith("BAD "); // selected state only
        c.cmd("SELECT INBOX");
        Transcript.play(c, """
                C: a1 FETCH 1 BINARY.PEEK[1]
                S: a1 NO [UNKNOWN-CTE] …
                C: a2 FETCH 1 (FOO)
                S: a2 BAD …
                C: a3 FETCH 5 FLAGS
                S: a3 BAD …
                C: a4 FETCH 1
                S: a4 BAD …
                C: a5 UID FETCH 5 FLAGS
                S: a5 OK FETCH completed
                """);
    }
}
