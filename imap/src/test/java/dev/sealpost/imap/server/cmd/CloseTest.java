package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CLOSE (RFC 9051 §6.4.1). */
class CloseTest extends CommandTestBase {

    @Test
    void rfc9051ExampleExpungesSilently() throws Exception {
        seed("INBOX", null, msg("a"), msg("b"));
        Conn c = selected("INBOX");
        c.cmd("STORE 1 +FLAGS.SILENT (\\Deleted)");
        // no untagged EXPUNGE responses: CLOSE removes \\Deleted messages silently
        Transcript.play(c, """
                C: A341 CLOSE
                S: A341 OK CLOSE completed
                C: A342 STATUS INBOX (MESSAGES)
                S: * STATUS "INBOX" (MESSAGES 1)
                S: A342 OK STATUS completed
                C: A343 FETCH 1 FLAGS
                S: A343 BAD …
                """);
    }

    @Test
    void closeAfterExamineDoesNotExpunge() throws Exception {
        seed("INBOX", "\\Deleted", msg("a"));
        Conn c = login(ALICE);
        c.cmd("EXAMINE INBOX");
        assertThat(c.status("CLOSE")).isEqualTo("OK CLOSE completed");
        assertThat(c.cmd("STATUS INBOX (MESSAGES)").getFirst()).isEqualTo("* STATUS \"INBOX\" (MESSAGES 1)");
    }

    @Test
    void errors() throws Exception {
        Conn c = login(ALICE);
        assertThat(c.status("CLOSE")).startsWith("BAD "); // selected state only
        c.cmd("SELECT INBOX");
        assertThat(c.status("CLOSE x")).startsWith("BAD ");
    }
}
