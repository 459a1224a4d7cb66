package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** STARTTLS (RFC 9051 §6.2.1). */
class StartTlsTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        Conn c = connect(start(config(false, false)));
        Transcript.play(c, """
                C: a001 CAPABILITY
                # the server lists more capabilities than the RFC's minimal server
                S: * CAPABILITY IMAP4rev2 …STARTTLS…LOGINDISABLED…
                S: a001 OK CAPABILITY completed
                C: a002 STARTTLS
                S: a002 OK Begin TLS negotiation now
                """);
        c.upgradeTls();
        Transcript.play(c, """
                C: a003 CAPABILITY
                S: * CAPABILITY IMAP4rev2 …AUTH=PLAIN…
                S: a003 OK CAPABILITY completed
                C: a004 LOGIN alice@example.test secret-pw
                # the server adds a CAPABILITY response code to the RFC's "OK LOGIN completed"
                S: a004 OK …
                """);
    }

    @Test
    void loginIsRefusedBeforeTls() throws Exception {
        Conn c = connect(start(config(false, false)));
        assertThat(c.status("LOGIN " + ALICE + " " + PW)).startsWith("NO [PRIVACYREQUIRED]");
    }

    @Test
    void commandsPipelinedBehindStartTlsAreNotExecuted() throws Exception {
        // RFC 9051 §6.2.1: the client MUST NOT send further commands until the TLS negotiation is done;
        // a server that executed cleartext input after the handshake would allow command injection
        Conn c = connect(start(config(false, false)));
        c.sendRaw("a1 STARTTLS\r\na2 NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.line()).isEqualTo("a1 OK Begin TLS negotiation now");
        try {
            c.upgradeTls();
        } catch (Exception e) {
            return; // the stray cleartext broke the handshake: also safe
        }
        assertThat(c.cmd("NOOP").getFirst()).isEqualTo("t1 OK NOOP completed");
    }

    @Test
    void startTlsTwiceAfterAuthenticationOrWithArgumentsIsBad() throws Exception {
        Conn c = connect(start(config(false, false)));
        assertThat(c.status("STARTTLS now")).startsWith("BAD ");
        assertThat(c.status("STARTTLS")).startsWith("OK ");
        c.upgradeTls();
        assertThat(c.status("STARTTLS")).startsWith("BAD ");
        assertThat(c.status("LOGIN " + ALICE + " " + PW)).startsWith("OK ");
        assertThat(c.status("STARTTLS")).startsWith("BAD ");
    }

    @Test
    void noStartTlsWithoutACertificate() throws Exception {
        int p = start(new dev.sealpost.imap.server.ImapServerConfig(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                false, null, true, "imap.example.test", dev.sealpost.imap.server.ImapServerConfig.Limits.defaults()));
        Conn c = connect(p);
        assertThat(c.cmd("CAPABILITY").getFirst()).doesNotContain("STARTTLS");
        assertThat(c.status("STARTTLS")).startsWith("BAD ");
    }
}
