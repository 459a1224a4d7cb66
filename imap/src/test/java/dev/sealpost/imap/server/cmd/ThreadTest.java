package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * THREAD (RFC 5256 §4). The RFC's examples run over a mailbox of 200 messages whose contents are
 * not given; the fixture is a small mailbox whose threads follow from the rules.
 */
class ThreadTest extends CommandTestBase {

    static String m(int n, String subject, String refs) {
        return "From: x <x@example.test>\r\nSubject: " + subject + "\r\nDate: " + n + " Jan 2021 10:00:00 +0000\r\nMessage-ID: <" + n
                + "@example.test>\r\n" + (refs == null ? "" : "References: " + refs + "\r\n") + "\r\nbody " + n + "\r\n";
    }

    @BeforeEach
    void fixture() throws Exception {
        seed("INBOX", null,
                m(1, "hello", null),
                m(2, "Re: hello", "<1@example.test>"),
                m(3, "other", null),
                m(4, "Re: hello", "<1@example.test> <2@example.test>"),
                m(5, "Re: other", "<3@example.test>"),
                m(6, "Re: hello", "<1@example.test>"));
    }

    @Test
    void rfc5256Examples() throws Exception {
        Conn c = selected("INBOX");
        // ORDEREDSUBJECT: the first message of a subject is the parent, the others its children;
        // a single child is written "3 5", several "(2)(4)(6)" (RFC 5256 §4 syntax)
        Transcript.play(c, """
                C: A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000
                S: * THREAD (1 (2)(4)(6))(3 5)
                S: A283 OK THREAD completed
                C: A284 THREAD ORDEREDSUBJECT US-ASCII TEXT "gewp"
                S: * THREAD
                S: A284 OK THREAD completed
                C: A285 UID THREAD REFERENCES UTF-8 SINCE 5-MAR-2000
                S: * THREAD (1 (2 4)(6))(3 5)
                S: A285 OK THREAD completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = login(ALICE);
        assertThat(c.status("THREAD REFERENCES UTF-8 ALL")).startsWith("BAD ");
        c.cmd("SELECT INBOX");
        Transcript.play(c, """
                C: a1 THREAD REFERENCES X-UNKNOWN ALL
                S: a1 NO [BADCHARSET …] …
                C: a2 THREAD BYCOLOR UTF-8 ALL
                S: a2 BAD …
                C: a3 THREAD REFERENCES
                S: a3 BAD …
                """);
    }
}
