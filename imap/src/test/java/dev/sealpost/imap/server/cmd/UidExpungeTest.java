package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** UID EXPUNGE (RFC 4315 §2.1, RFC 9051 §6.4.9). */
class UidExpungeTest extends CommandTestBase {

    @Test
    void rfc4315Example() throws Exception {
        // the RFC's UIDs 3000:3002 are messages 3..5; ours are UIDs 3..5. Expunges are reported
        // highest first (see ExpungeTest), where the RFC prints "* 3 EXPUNGE" three times
        seed("INBOX", null, msg("1"), msg("2"));
        seed("INBOX", "\\Deleted", msg("3"), msg("4"), msg("5"), msg("6"));
        Conn c = selected("INBOX");
        Transcript.play(c, """
                C: A003 UID EXPUNGE 3:5
                S: * 5 EXPUNGE
                S: * 4 EXPUNGE
                S: * 3 EXPUNGE
                S: A003 OK …
                """);
        // message 6 had \\Deleted too but was outside the set: it stays
        assertThat(Transcript.rev2(c.cmd("FETCH 3 (UID FLAGS)").getFirst())).isEqualTo("* 3 FETCH (UID 6 FLAGS (\\Deleted))");
    }

    @Test
    void errors() throws Exception {
        Conn c = selected("INBOX");
        assertThat(c.status("UID EXPUNGE")).startsWith("BAD ");
        assertThat(c.status("UID EXPUNGE x")).startsWith("BAD ");
        c.cmd("CLOSE");
        assertThat(c.status("UID EXPUNGE 1")).startsWith("BAD ");
    }
}
