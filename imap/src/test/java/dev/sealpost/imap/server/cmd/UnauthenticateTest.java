package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** UNAUTHENTICATE (RFC 8437). */
class UnauthenticateTest extends CommandTestBase {

    @Test
    void rfc8437BackToNotAuthenticatedAndLoginAgain() throws Exception {
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A1 UNAUTHENTICATE
                S: A1 OK UNAUTHENTICATE completed
                C: A2 SELECT INBOX
                S: A2 BAD …
                C: A3 CAPABILITY
                S: * CAPABILITY IMAP4rev2 …AUTH=PLAIN…
                S: A3 OK CAPABILITY completed
                C: A4 LOGIN bob@example.test secret-pw
                S: A4 OK …
                """);
    }

    @Test
    void resetsEnabledExtensions() throws Exception {
        Conn c = login(ALICE);
        c.cmd("ENABLE CONDSTORE");
        c.cmd("UNAUTHENTICATE");
        c.cmd("LOGIN " + ALICE + " " + PW);
        // RFC 8437 §3: the session returns to its initial state; CONDSTORE is off again
        assertThat(c.cmd("SELECT INBOX")).noneMatch(l -> l.contains("HIGHESTMODSEQ"));
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("UNAUTHENTICATE")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("UNAUTHENTICATE now")).startsWith("BAD ");
    }
}
