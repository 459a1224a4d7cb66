package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SUBSCRIBE (RFC 9051 §6.3.7). The RFC's "#news.comp.mail.mime" becomes a personal mailbox. */
class SubscribeTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        Conn c = login(ALICE);
        c.cmd("CREATE news/comp/mail/mime");
        Transcript.play(c, """
                C: A002 SUBSCRIBE news/comp/mail/mime
                S: A002 OK SUBSCRIBE completed
                C: A003 LIST (SUBSCRIBED) "" "news/*"
                S: * LIST (\\HasNoChildren \\Subscribed) "/" "news/comp/mail/mime"
                S: A003 OK LIST completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("SUBSCRIBE INBOX")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        // RFC 9051 §6.3.7 lets a server refuse to subscribe a name that does not exist
        assertThat(c.status("SUBSCRIBE nosuch")).isEqualTo("NO [NONEXISTENT] No such mailbox");
        assertThat(c.status("SUBSCRIBE")).startsWith("BAD ");
        assertThat(c.status("SUBSCRIBE a b")).startsWith("BAD ");
    }
}
