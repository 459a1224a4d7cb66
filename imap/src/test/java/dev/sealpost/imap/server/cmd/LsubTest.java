package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LSUB (RFC 3501 §6.3.9; deprecated by RFC 9051 but still served to IMAP4rev1 clients). */
class LsubTest extends CommandTestBase {

    @Test
    void rfc3501Example() throws Exception {
        // the RFC's "#news." hierarchy with "." separators becomes news/ with "/"
        Conn c = login(ALICE);
        c.cmd("CREATE news/comp/mail/mime");
        c.cmd("CREATE news/comp/mail/misc");
        c.cmd("SUBSCRIBE news/comp/mail/mime");
        c.cmd("SUBSCRIBE news/comp/mail/misc");
        Transcript.play(c, """
                C: A002 LSUB "news/" "comp/mail/*"
                S: * LSUB () "/" "news/comp/mail/mime"
                S: * LSUB () "/" "news/comp/mail/misc"
                S: A002 OK LSUB completed
                C: A003 LSUB "news/" "comp/%"
                S: * LSUB (\\Noselect) "/" "news/comp/mail"
                S: A003 OK LSUB completed
                """);
    }

    @Test
    void subscriptionOutlivesItsMailbox() throws Exception {
        // RFC 3501 §6.3.6 / §6.3.9: the server must not drop a subscription when the mailbox goes;
        // LSUB then shows the name with \\Noselect
        Conn c = login(ALICE);
        c.cmd("CREATE gone");
        c.cmd("SUBSCRIBE gone");
        c.cmd("DELETE gone");
        Transcript.play(c, """
                C: a1 LSUB "" gone
                S: * LSUB (\\Noselect) "/" "gone"
                S: a1 OK LSUB completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("LSUB \"\" *")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("LSUB \"\"")).startsWith("BAD ");
    }
}
