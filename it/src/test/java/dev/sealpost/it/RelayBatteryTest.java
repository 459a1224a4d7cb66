package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** No open relay: the classic relay tricks against the MX port, unauthenticated. */
class RelayBatteryTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
        // a catch-all must still never turn into relaying
        server.store().directory().addDomain("catchall.test");
        server.store().directory().addAlias("@catchall.test", "bob@example.test");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "RCPT TO:{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "<victim@elsewhere.test>                      | 550 5.7.1",
            "<victim@ELSEWHERE.test.>                     | 550 5.7.1",
            "<@example.test:victim@elsewhere.test>        | 550 5.7.1",   // source route: route ignored, RFC 5321 §3.6.1
            "<@example.test,@mx.example.test:victim@elsewhere.test> | 550 5.7.1",
            "<victim@[127.0.0.1]>                         | 550 5.7.1",   // address literal
            "<victim@[IPv6:::1]>                          | 550 5.7.1",
            "<victim%elsewhere.test@example.test>         | 550 5.1.1",   // %-hack: an unknown local part
            "<victim!elsewhere.test@example.test>         | 550 5.1.1",   // bang path
            "<\"victim@elsewhere.test\"@example.test>     | 550 5.1.1",   // quoted @
            "<\"victim%elsewhere.test\"@example.test>     | 550 5.1.1",
            "<alice@EXAMPLE.TEST>                         | 250",
            "<Alice+tag@example.test>                     | 250",
            "<postmaster>                                 | 250",         // RFC 5321 §4.5.1, to server.postmaster
            "<PostMaster@mx.example.test>                 | 250",         // our host name, only for postmaster
            "<postmaster@example.test>                    | 250",
            "<abuse@mx.example.test>                      | 550 5.7.1",   // host name is not a mail domain
    })
    void mxRefusesRelayTricks(String path, String expected) throws Exception {
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.cmd("EHLO attacker.test")).startsWith("250");
            assertThat(c.cmd("MAIL FROM:<a@attacker.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:" + path.trim())).startsWith(expected.trim());
        }
    }

    @Test
    void catchAllDeliversLocallyNeverOnward() throws Exception {
        int before = server.inbox("bob@example.test").size();
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.MX))) {
            c.reply();
            c.cmd("EHLO attacker.test");
            assertThat(c.cmd("MAIL FROM:<a@attacker.test>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<victim%elsewhere.test@catchall.test>")).startsWith("250");
            assertThat(c.cmd("DATA")).startsWith("354");
            assertThat(c.cmd("Subject: catch-all\r\n\r\nhi\r\n.")).startsWith("250");
        }
        var inbox = server.awaitInbox("bob@example.test", before + 1);
        assertThat(inbox).hasSize(before + 1);
        // and nothing was handed to the outbound side
        assertThat(server.store().spool().list(1000)).flatMap(m -> m.recipients())
                .noneMatch(r -> r.state() == dev.sealpost.store.Spool.RecipientState.REMOTE);
    }

    @Test
    void submissionWithoutAuthCannotSend() throws Exception {
        try (SmtpClient c = new SmtpClient(server.port(ListenerKind.SUBMISSION))) {
            c.reply();
            String ehlo = c.cmd("EHLO client.test");
            assertThat(ehlo).contains("STARTTLS").doesNotContain("AUTH"); // AUTH only after TLS
            assertThat(c.cmd("MAIL FROM:<alice@example.test>")).startsWith("530 5.7.0");
            assertThat(c.cmd("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABwdw==")).startsWith("538 5.7.11");
        }
    }
}
