package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LOGIN (RFC 9051 §6.2.3). The RFC's user "SMITH" / "SESAME" is an account of the fixture. */
class LoginTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: a001 LOGIN alice@example.test secret-pw
                # RFC 9051 §6.2.3 lets the server include CAPABILITY in the OK; the text is free
                S: a001 OK [CAPABILITY IMAP4rev2 …] …
                """);
    }

    @Test
    void quotedAndLiteralArguments() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: a1 LOGIN "alice@example.test" {9}
                S~ \\+ .*
                C: secret-pw
                S: a1 OK …
                """);
    }

    @Test
    void wrongPasswordAndUnknownUserAnswerTheSame() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: a1 LOGIN alice@example.test wrong
                S: a1 NO [AUTHENTICATIONFAILED] Authentication failed
                C: a2 LOGIN nobody@example.test secret-pw
                S: a2 NO [AUTHENTICATIONFAILED] Authentication failed
                """);
    }

    @Test
    void syntaxAndStateErrors() throws Exception {
        Conn c = connect();
        assertThat(c.status("LOGIN alice@example.test")).startsWith("BAD ");
        assertThat(c.status("LOGIN a b c")).startsWith("BAD ");
        assertThat(c.status("LOGIN (a) b")).startsWith("BAD ");
        assertThat(c.status("LOGIN " + ALICE + " " + PW)).startsWith("OK ");
        assertThat(c.status("LOGIN " + ALICE + " " + PW)).startsWith("BAD ");
    }

    @Test
    void refusedOnCleartextWhenPlaintextAuthIsOff() throws Exception {
        Conn c = connect(start(config(false, false)));
        Transcript.play(c, """
                C: a1 LOGIN alice@example.test secret-pw
                S: a1 NO [PRIVACYREQUIRED] …
                """);
    }
}
