package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CAPABILITY (RFC 9051 §6.1.1). The capability list itself is the server's own, so the RFC's list
 * is replaced by {@code …} in the transcript and its members are asserted separately.
 */
class CapabilityTest extends CommandTestBase {

    @Test
    void rfc9051Example() throws Exception {
        int tlsPort = start(config(false, false)); // cleartext LOGIN refused before TLS, as in the RFC
        Conn c = connect(tlsPort);
        Transcript.play(c, """
                C: abcd CAPABILITY
                S: * CAPABILITY IMAP4rev2 …STARTTLS…LOGINDISABLED…
                S: abcd OK CAPABILITY completed
                C: efgh STARTTLS
                # RFC text "STARTLS completed" is free text
                S: efgh OK …
                """);
        c.upgradeTls();
        Transcript.play(c, """
                C: ijkl CAPABILITY
                S: * CAPABILITY IMAP4rev2 …AUTH=PLAIN…
                S: ijkl OK CAPABILITY completed
                """);
        String caps = c.cmd("CAPABILITY").getFirst();
        assertThat(caps).doesNotContain("STARTTLS").doesNotContain("LOGINDISABLED");
    }

    @Test
    void listAdvertisesWhatTheServerImplements() throws Exception {
        Conn c = connect();
        List<String> pre = List.of(c.cmd("CAPABILITY").getFirst().split(" "));
        assertThat(pre).contains("IMAP4rev2", "IMAP4rev1", "STARTTLS", "AUTH=PLAIN", "SASL-IR", "ID", "ENABLE", "LITERAL+")
                .doesNotContain("LITERAL-", "LOGINDISABLED", "COMPRESS=DEFLATE", "UNAUTHENTICATE");
        c.cmd("LOGIN " + ALICE + " " + PW);
        List<String> post = List.of(c.cmd("CAPABILITY").getFirst().split(" "));
        assertThat(post).contains("IMAP4rev2", "IDLE", "NAMESPACE", "UIDPLUS", "MOVE", "UNSELECT", "CONDSTORE", "QRESYNC",
                "QUOTA", "METADATA", "ACL", "SORT", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT", "ESEARCH",
                "COMPRESS=DEFLATE", "UNAUTHENTICATE")
                .doesNotContain("STARTTLS", "LOGINDISABLED")
                .noneMatch(x -> x.startsWith("AUTH="));
    }

    @Test
    void argumentsAreABadCommandInEveryState() throws Exception {
        Conn c = connect();
        assertThat(c.status("CAPABILITY IMAP4rev2")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        assertThat(c.status("CAPABILITY x")).startsWith("BAD ");
        assertThat(c.status("SELECT INBOX")).startsWith("OK ");
        assertThat(c.status("CAPABILITY x")).startsWith("BAD ");
        assertThat(c.cmd("CAPABILITY").getLast()).endsWith("OK CAPABILITY completed");
    }
}
