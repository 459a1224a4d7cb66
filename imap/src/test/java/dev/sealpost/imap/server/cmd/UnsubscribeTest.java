package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** UNSUBSCRIBE (RFC 9051 §6.3.8). */
class UnsubscribeTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        Conn c = login(ALICE);
        c.cmd("CREATE news/comp/mail/mime");
        c.cmd("SUBSCRIBE news/comp/mail/mime");
        Transcript.play(c, """
                C: A002 UNSUBSCRIBE news/comp/mail/mime
                S: A002 OK UNSUBSCRIBE completed
                C: A003 LIST (SUBSCRIBED) "" "news/*"
                S: A003 OK LIST completed
                """);
    }

    @Test
    void unsubscribingADeletedMailboxWorks() throws Exception {
        // RFC 9051 §6.3.8: a subscription may outlive its mailbox and must still be removable
        Conn c = login(ALICE);
        c.cmd("CREATE gone");
        c.cmd("SUBSCRIBE gone");
        c.cmd("DELETE gone");
        assertThat(c.status("UNSUBSCRIBE gone")).isEqualTo("OK UNSUBSCRIBE completed");
        assertThat(c.cmd("LSUB \"\" gone")).hasSize(1);
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("UNSUBSCRIBE INBOX")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("UNSUBSCRIBE")).startsWith("BAD ");
    }
}
