package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** COMPRESS (RFC 4978). */
class CompressTest extends CommandTestBase {

    @Test
    void rfc4978Example() throws Exception {
        Conn c = connect(start(config(false, false)));
        Transcript.play(c, """
                C: a starttls
                S: a OK …
                """);
        c.upgradeTls();
        Transcript.play(c, """
                C: b login alice@example.test secret-pw
                S: b OK …
                C: c compress deflate
                # the RFC prints this tagged line with tag "d" (a known erratum); the tag is the command's
                S: c OK DEFLATE active
                """);
        c.deflate();
        Transcript.play(c, """
                C: d NOOP
                S: d OK NOOP completed
                C: e CAPABILITY
                S~ \\* CAPABILITY IMAP4rev2 (?!.*COMPRESS=DEFLATE).*
                S: e OK CAPABILITY completed
                C: f COMPRESS DEFLATE
                S: f NO [COMPRESSIONACTIVE] …
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("COMPRESS DEFLATE")).startsWith("BAD "); // authenticated state only
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("COMPRESS")).startsWith("BAD ");
        assertThat(c.status("COMPRESS LZ4")).startsWith("BAD ");
        assertThat(c.cmd("NOOP").getLast()).endsWith("OK NOOP completed");
    }
}
