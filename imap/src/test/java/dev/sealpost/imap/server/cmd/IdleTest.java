package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** IDLE (RFC 2177, RFC 9051 §6.3.13). */
class IdleTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"), msg("3"));
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A002 IDLE
                # continuation text is free ("idling" in the RFC)
                S: + …
                """);
        seed("INBOX", null, msg("4"));
        Transcript.play(c, """
                S: * 4 EXISTS
                C: DONE
                S: A002 OK IDLE terminated
                """);
    }

    @Test
    void rfc2177ExampleWithExpungeAndFlags() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"), msg("3"), msg("4"));
        Conn c = selected("INBOX");
        Conn other = selected("INBOX");
        Transcript.play(c, """
                C: A002 IDLE
                S: + …
                """);
        other.cmd("STORE 2 +FLAGS (\\Deleted)");
        Transcript.play(c, """
                S: * 2 FETCH (UID 2 FLAGS (\\Deleted))
                """);
        other.cmd("EXPUNGE");
        Transcript.play(c, """
                S: * 2 EXPUNGE
                C: DONE
                S: A002 OK IDLE terminated
                """);
    }

    @Test
    void commandPipelinedAfterDoneRuns() throws Exception {
        Conn c = selected("INBOX");
        c.send("A1 IDLE");
        assertThat(c.line()).startsWith("+ ");
        c.sendRaw("DONE\r\nA2 NOOP\r\n".getBytes());
        assertThat(c.line()).isEqualTo("A1 OK IDLE terminated");
        assertThat(c.line()).isEqualTo("A2 OK NOOP completed");
    }

    @Test
    void doneIsCaseInsensitive() throws Exception {
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A1 IDLE
                S: + …
                C: done
                S: A1 OK IDLE terminated
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("IDLE")).startsWith("BAD "); // authenticated state only
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("IDLE now")).startsWith("BAD ");
        Transcript.play(c, """
                C: a9 IDLE
                S: + …
                C: STOP
                S: a9 BAD …
                C: a10 NOOP
                S: a10 OK NOOP completed
                """);
    }
}
