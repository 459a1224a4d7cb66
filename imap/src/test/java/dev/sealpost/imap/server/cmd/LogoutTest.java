package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LOGOUT (RFC 9051 §6.1.3). */
class LogoutTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: A023 LOGOUT
                # BYE text is free text ("IMAP4rev2 Server logging out" in the RFC)
                S: * BYE …
                S: A023 OK LOGOUT completed
                """);
        assertThat(c.closedByServer()).isTrue();
    }

    @Test
    void logoutBeforeAuthenticationAndFromSelectedState() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: a1 LOGOUT
                S: * BYE …
                S: a1 OK LOGOUT completed
                """);
        assertThat(c.closedByServer()).isTrue();
        Conn s = selected("INBOX");
        Transcript.play(s, """
                C: a9 LOGOUT
                S: * BYE …
                S: a9 OK LOGOUT completed
                """);
        assertThat(s.closedByServer()).isTrue();
    }

    @Test
    void argumentsAreBadAndTheSessionStays() throws Exception {
        Conn c = login(ALICE);
        assertThat(c.status("LOGOUT now")).startsWith("BAD ");
        assertThat(c.status("NOOP")).isEqualTo("OK NOOP completed");
    }
}
