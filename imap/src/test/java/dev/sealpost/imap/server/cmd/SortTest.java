package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SORT (RFC 5256 §3). */
class SortTest extends CommandTestBase {

    /** Base subjects a (3, 4, 5), b (1), c (2); sent dates chosen so REVERSE DATE orders a's as 5 3 4. */
    @BeforeEach
    void fixture() throws Exception {
        seed("INBOX", null,
                msg("x <x@example.test>", "b", "Sat, 2 Jan 2021 10:00:00 +0000", "one"),
                msg("x <x@example.test>", "c", "Fri, 1 Jan 2021 10:00:00 +0000", "two"),
                msg("x <x@example.test>", "a", "Sat, 2 Jan 2021 10:00:00 +0000", "three"),
                msg("x <x@example.test>", "Re: a", "Fri, 1 Jan 2021 10:00:00 +0000", "four"),
                msg("x <x@example.test>", "Fwd: a", "Sun, 3 Jan 2021 10:00:00 +0000", "five"));
    }

    @Test
    void rfc5256Examples() throws Exception {
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994
                S: * SORT 3 4 5 1 2
                S: A282 OK SORT completed
                C: A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL
                S: * SORT 5 3 4 1 2
                S: A283 OK SORT completed
                C: A284 SORT (SUBJECT) US-ASCII TEXT "not in mailbox"
                S: * SORT
                S: A284 OK SORT completed
                C: A285 UID SORT (REVERSE ARRIVAL) UTF-8 ALL
                S: * SORT 5 4 3 2 1
                S: A285 OK SORT completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = login(ALICE);
        assertThat(c.status("SORT (SUBJECT) UTF-8 ALL")).startsWith("BAD ");
        c.cmd("SELECT INBOX");
        Transcript.play(c, """
                C: a1 SORT (SUBJECT) X-UNKNOWN ALL
                S: a1 NO [BADCHARSET …] …
                C: a2 SORT (COLOR) UTF-8 ALL
                S: a2 BAD …
                C: a3 SORT SUBJECT UTF-8 ALL
                S: a3 BAD …
                C: a4 SORT () UTF-8 ALL
                S: a4 BAD …
                C: a5 SORT (SUBJECT) UTF-8
                S: a5 BAD …
                """);
    }
}
