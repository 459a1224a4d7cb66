package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** NOOP (RFC 9051 §6.1.2): the polling command that reports changes to the selected mailbox. */
class NoopTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        // the RFC's mailbox has 23 messages after the update; ours: 3, of which #2 gets expunged,
        // one is appended (3 EXISTS again), and #1 gets \Seen \Deleted from another session
        java.util.List<Long> uids = seed("INBOX", null, msg("one"), msg("two"), msg("three"));
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: a002 NOOP
                S: a002 OK NOOP completed
                """);
        Conn other = selected("INBOX");
        other.cmd("STORE 2 +FLAGS (\\Deleted)");
        other.cmd("EXPUNGE");
        seed("INBOX", null, msg("four"));
        other.cmd("STORE 1 +FLAGS (\\Seen \\Deleted)");
        Transcript.play(c, """
                C: a047 NOOP
                S: * 2 EXPUNGE
                S: * 3 EXISTS
                S: * 1 FETCH (UID %d FLAGS (\\Seen \\Deleted))
                S: a047 OK NOOP completed
                """.formatted(uids.getFirst()));
    }

    @Test
    void commandNamesAreCaseInsensitiveAndBadTagsGetAnUntaggedBad() throws Exception {
        // RFC 9051 §9: command names are case-insensitive; a line without a valid tag is answered
        // with an untagged BAD (§7.1.3), as is an empty line
        Conn c = connect();
        Transcript.play(c, """
                C: a1 noop
                S: a1 OK NOOP completed
                C: + NOOP
                S: * BAD …
                C:
                S: * BAD …
                C: a2 NOOP
                S: a2 OK NOOP completed
                """);
    }

    @Test
    void worksInEveryStateAndRefusesArguments() throws Exception {
        Conn c = connect();
        assertThat(c.status("NOOP")).isEqualTo("OK NOOP completed");
        assertThat(c.status("NOOP now")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("NOOP")).isEqualTo("OK NOOP completed");
        c.cmd("SELECT INBOX");
        assertThat(c.status("NOOP")).isEqualTo("OK NOOP completed");
    }
}
