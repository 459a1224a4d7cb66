package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ID (RFC 2971). */
class IdTest extends CommandTestBase {

    @Test
    void rfc2971Example() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: a023 ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")
                # the RFC's server answers "* ID NIL"; this one names itself (RFC 2971 §3.2)
                S: * ID ("name" "Sealpost" "vendor" "Sealpost")
                S: a023 OK ID completed
                """);
    }

    @Test
    void nilAndInEveryState() throws Exception {
        Conn c = connect();
        Transcript.play(c, """
                C: a1 ID NIL
                S: * ID ("name" "Sealpost" "vendor" "Sealpost")
                S: a1 OK ID completed
                """);
        c.cmd("LOGIN " + ALICE + " " + PW);
        c.cmd("SELECT INBOX");
        assertThat(c.status("ID NIL")).isEqualTo("OK ID completed");
    }

    @Test
    void syntaxErrors() throws Exception {
        Conn c = connect();
        assertThat(c.status("ID")).startsWith("BAD ");
        assertThat(c.status("ID \"name\"")).startsWith("BAD ");
        assertThat(c.status("ID NIL NIL")).startsWith("BAD ");
        StringBuilder many = new StringBuilder("ID (");
        for (int i = 0; i < 31; i++) many.append("\"k").append(i).append("\" \"v\" ");
        assertThat(c.status(many.toString().strip() + ")")).startsWith("BAD "); // RFC 2971 §3.3: at most 30 pairs
    }
}
