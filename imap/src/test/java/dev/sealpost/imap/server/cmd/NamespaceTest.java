package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** NAMESPACE (RFC 9051 §6.3.10, RFC 2342). */
class NamespaceTest extends CommandTestBase {

    @Test
    void rfc2342PersonalAndOtherUsersExample() throws Exception {
        // RFC 2342 §5 example 5.4 shape: a personal namespace and an "other users" one, no shared
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: A001 NAMESPACE
                S: * NAMESPACE (("" "/")) (("Other Users/" "/")) NIL
                S: A001 OK NAMESPACE completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("NAMESPACE")).startsWith("BAD "); // authenticated state only
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("NAMESPACE x")).startsWith("BAD ");
    }
}
