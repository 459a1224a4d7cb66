package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GETMETADATA / SETMETADATA (RFC 5464). The server quotes entry names (an astring may be an atom
 * or a quoted string, RFC 9051 §4.3), where the RFC's examples print them as atoms.
 */
class MetadataTest extends CommandTestBase {

    @Test
    void rfc5464Examples() throws Exception {
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: a SETMETADATA "" (/shared/comment "Shared comment")
                S: a OK SETMETADATA completed
                C: a GETMETADATA "" /shared/comment
                S: * METADATA "" ("/shared/comment" "Shared comment")
                S: a OK GETMETADATA completed
                C: a SETMETADATA INBOX (/private/comment {33}
                S~ \\+ .*
                C: My new comment across
                C: two lines.)
                S: a OK SETMETADATA completed
                C: a GETMETADATA INBOX /private/comment
                S: * METADATA "INBOX" ("/private/comment" {33}
                S: My new comment across
                S: two lines.)
                S: a OK GETMETADATA completed
                C: a SETMETADATA INBOX (/private/comment NIL)
                S: a OK SETMETADATA completed
                C: a GETMETADATA INBOX /private/comment
                S: a OK GETMETADATA completed
                """);
    }

    @Test
    void rfc5464DepthAndMaxsizeExamples() throws Exception {
        Conn c = login(ALICE);
        c.cmd("SETMETADATA INBOX (/private/filters/values/small \"x\" /private/filters/values/big \"a much longer value\")");
        Transcript.play(c, """
                C: a GETMETADATA (DEPTH 1) INBOX (/private/filters/values)
                S: * METADATA "INBOX" ("/private/filters/values/big" "a much longer value" "/private/filters/values/small" "x")
                S: a OK GETMETADATA completed
                C: b GETMETADATA (MAXSIZE 5) INBOX (/private/filters/values/small /private/filters/values/big)
                S: * METADATA "INBOX" ("/private/filters/values/small" "x")
                S: b OK [METADATA LONGENTRIES 19] GETMETADATA completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("GETMETADATA \"\" /shared/comment")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        Transcript.play(c, """
                C: a1 SETMETADATA INBOX (/other/x "v")
                S: a1 BAD …
                C: a2 GETMETADATA nosuch /private/comment
                S: a2 NO [NONEXISTENT] …
                C: a3 SETMETADATA nosuch (/private/comment "v")
                S: a3 NO [NONEXISTENT] …
                C: a4 GETMETADATA (DEPTH 2) INBOX /private/comment
                S: a4 BAD …
                C: a5 SETMETADATA INBOX (/private/comment)
                S: a5 BAD …
                """);
        // RFC 5464 §4.3: a value too large is NO [METADATA MAXSIZE n]
        String big = "v".repeat(70_000);
        c.send("a6 SETMETADATA INBOX (/private/comment {" + big.length() + "}");
        String cont = c.line();
        if (cont.startsWith("+")) {
            c.sendRaw(big.getBytes());
            c.send(")");
            cont = c.until("a6").getLast();
        }
        assertThat(cont).matches("a6 (NO \\[METADATA MAXSIZE \\d+\\]|NO \\[TOOBIG\\]|BAD \\[TOOBIG\\]) .*");
    }
}
