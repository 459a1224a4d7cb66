package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ENABLE (RFC 5161, RFC 9051 §6.3.1). */
class EnableTest extends CommandTestBase {

    @Test
    void rfc5161Example() throws Exception {
        // RFC 5161 §4: X-GOOD-IDEA is the example's server's own extension; this server does not
        // know it (so ignores it, §3.1) but does support CONDSTORE, which is therefore ENABLED
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: t1 CAPABILITY
                S: * CAPABILITY IMAP4rev2 …ENABLE…
                S: t1 OK CAPABILITY completed
                C: t2 ENABLE CONDSTORE X-GOOD-IDEA
                S: * ENABLED CONDSTORE
                S: t2 OK ENABLE completed
                C: t3 ENABLE CONDSTORE
                # RFC 5161 §3.1: only extensions not already enabled are listed
                S: * ENABLED
                S: t3 OK ENABLE completed
                """);
    }

    @Test
    void rfc9051EnableImap4rev2ChangesSelectResponses() throws Exception {
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: t1 ENABLE IMAP4rev2
                S: * ENABLED IMAP4rev2
                S: t1 OK ENABLE completed
                C: t2 ENABLE qresync utf8=accept
                S: * ENABLED QRESYNC UTF8=ACCEPT
                S: t2 OK ENABLE completed
                """);
        // IMAP4rev2 has no RECENT and sends the mailbox's LIST response (RFC 9051 §6.3.2)
        assertThat(c.cmd("SELECT INBOX")).noneMatch(l -> l.contains("RECENT")).anyMatch(l -> l.startsWith("* LIST ("));
    }

    @Test
    void stateAndSyntaxErrors() throws Exception {
        Conn c = connect();
        assertThat(c.status("ENABLE CONDSTORE")).startsWith("BAD "); // RFC 5161 §3.1: authenticated state only
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("ENABLE")).startsWith("BAD ");
        assertThat(c.status("ENABLE (CONDSTORE)")).startsWith("BAD ");
    }
}
