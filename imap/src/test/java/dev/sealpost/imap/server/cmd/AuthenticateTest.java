package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AUTHENTICATE (RFC 9051 §6.2.2, RFC 4959 SASL-IR). The RFC's example uses GSSAPI, which the
 * server does not offer; the same exchange is replayed with PLAIN (RFC 4616).
 */
class AuthenticateTest extends CommandTestBase {

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rfc9051ExampleWithPlain() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: A001 AUTHENTICATE PLAIN
                # RFC 9051 prints "S: +"; an empty challenge may also be sent as "+ " (RFC 3501 syntax)
                S~ \\+ ?
                C: %s
                S: A001 OK …
                """.formatted(b64("\0alice@example.test\0secret-pw")));
    }

    @Test
    void rfc4959InitialResponseExample() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: A01 AUTHENTICATE PLAIN %s
                S: A01 OK …
                """.formatted(b64("\0alice@example.test\0secret-pw")));
    }

    @Test
    void emptyInitialResponseIsEquals() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                # an empty initial response: PLAIN then asks for its message in a continuation
                C: A01 AUTHENTICATE PLAIN =
                S~ \\+ ?
                C: *
                S: A01 BAD …
                """);
    }

    @Test
    void failuresCancelAndBadBase64() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: a1 AUTHENTICATE PLAIN %s
                S: a1 NO [AUTHENTICATIONFAILED] Authentication failed
                C: a2 AUTHENTICATE PLAIN
                S~ \\+ ?
                C: *
                S: a2 BAD …
                C: a3 AUTHENTICATE PLAIN
                S~ \\+ ?
                C: !!notbase64!!
                S: a3 BAD …
                C: a4 AUTHENTICATE X-UNKNOWN
                S: a4 NO …
                C: a5 AUTHENTICATE
                S: a5 BAD …
                """.formatted(b64("\0alice@example.test\0wrong")));
    }

    @Test
    void plainIsNotOfferedOnCleartextWithoutPlaintextAuth() throws Exception {
        Conn c = connect(start(config(false, false)));
        assertThat(c.cmd("CAPABILITY").getFirst()).doesNotContain("AUTH=PLAIN");
        assertThat(c.status("AUTHENTICATE PLAIN " + b64("\0alice@example.test\0secret-pw"))).startsWith("NO [PRIVACYREQUIRED]");
    }

    @Test
    void plainWithAnotherAuthorizationIdentityIsRefused() throws Exception {
        // RFC 4616 §2: bob may not act as alice with his own password (no proxy rights)
        Conn c = connect();
        assertThat(c.status("AUTHENTICATE PLAIN " + b64("alice@example.test\0bob@example.test\0secret-pw")))
                .matches("NO \\[(AUTHENTICATIONFAILED|AUTHORIZATIONFAILED)\\] .*");
        assertThat(c.status("AUTHENTICATE PLAIN " + b64("alice@example.test\0alice@example.test\0secret-pw"))).startsWith("OK ");
    }

    @Test
    void notAfterAuthentication() throws Exception {
        Conn c = login(ALICE);
        assertThat(c.status("AUTHENTICATE PLAIN " + b64("\0alice@example.test\0secret-pw"))).startsWith("BAD ");
    }
}
