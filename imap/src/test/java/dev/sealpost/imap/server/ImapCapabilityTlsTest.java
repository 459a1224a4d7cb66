package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Greeting, CAPABILITY, STARTTLS (with injection protection), implicit TLS, LOGINDISABLED, LOGOUT, NOOP, ID. */
class ImapCapabilityTlsTest extends ImapTestBase {

    @Test
    void greetingAdvertisesStartTlsAndLoginDisabledBeforeTls() throws Exception {
        int port = start(config(false, false)).port();
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(c.greeting).startsWith("* OK [CAPABILITY IMAP4rev2 IMAP4rev1").contains("STARTTLS", "LOGINDISABLED")
                    .doesNotContain("AUTH=").endsWith("Sealpost ready");
            List<String> caps = c.cmd("CAPABILITY");
            // no AUTH= at all before TLS, SCRAM included (LoginPolicy.mayAuthenticate)
            assertThat(caps.getFirst()).startsWith("* CAPABILITY IMAP4rev2").contains("STARTTLS", "LOGINDISABLED", "SASL-IR")
                    .doesNotContain("AUTH=");
            assertThat(caps.getLast()).isEqualTo("a1 OK CAPABILITY completed");
            assertThat(c.ok("LOGIN alice@example.test secret-pw")).startsWith("a2 NO [PRIVACYREQUIRED]");
            assertThat(c.ok("AUTHENTICATE PLAIN")).startsWith("a3 NO [PRIVACYREQUIRED]");
            assertThat(c.ok("NOOP")).isEqualTo("a4 OK NOOP completed");
            assertThat(c.cmd("ID (\"name\" \"test\")").getFirst()).isEqualTo("* ID (\"name\" \"Sealpost\" \"vendor\" \"Sealpost\")");
            assertThat(c.ok("SELECT INBOX")).startsWith("a6 BAD");
            List<String> bye = c.cmd("LOGOUT");
            assertThat(bye).containsExactly("* BYE Sealpost logging out", "a7 OK LOGOUT completed");
        }
    }

    @Test
    void startTlsUpgradesAndOffersPlainAndPlusAfterwards() throws Exception {
        int port = start(config(false, false)).port();
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(c.ok("STARTTLS")).isEqualTo("a1 OK Begin TLS negotiation now");
            c.upgradeTls();
            String caps = c.cmd("CAPABILITY").getFirst();
            assertThat(caps).doesNotContain("STARTTLS").doesNotContain("LOGINDISABLED")
                    .contains("AUTH=PLAIN", "AUTH=SCRAM-SHA-256-PLUS", "AUTH=SCRAM-SHA-256");
            assertThat(c.ok("STARTTLS")).startsWith("a3 BAD");
            String ok = c.ok("LOGIN alice@example.test secret-pw");
            assertThat(ok).startsWith("a4 OK [CAPABILITY IMAP4rev2").contains("COMPRESS=DEFLATE").endsWith("Logged in");
        }
    }

    @Test
    void commandsPipelinedAfterStartTlsAreDiscarded() throws Exception {
        int port = start(config(false, false)).port();
        try (ImapClient c = ImapClient.connect(port)) {
            // STARTTLS injection (CVE-2011-0411 style): the second command arrives with the first
            c.sendRaw("a1 STARTTLS\r\na2 LOGIN alice@example.test secret-pw\r\n".getBytes());
            c.nextTag();
            c.nextTag();
            assertThat(c.readLine()).isEqualTo("a1 OK Begin TLS negotiation now");
            c.upgradeTls();
            assertThat(c.ok("NOOP")).isEqualTo("a3 OK NOOP completed"); // no a2 response before it
            assertThat(c.ok("SELECT INBOX")).startsWith("a4 BAD"); // still not logged in
        }
    }

    @Test
    void implicitTlsListener() throws Exception {
        int port = start(config(true, false)).port();
        try (ImapClient c = ImapClient.connectTls(port)) {
            assertThat(c.greeting).startsWith("* OK [CAPABILITY").doesNotContain("STARTTLS").contains("AUTH=PLAIN");
            assertThat(c.ok("LOGIN alice@example.test secret-pw")).startsWith("a1 OK");
            assertThat(c.cmd("CAPABILITY").getFirst()).contains("MOVE", "UIDPLUS", "CONDSTORE", "QRESYNC", "IDLE")
                    .doesNotContain("AUTH=");
        }
    }

    @Test
    void compressDeflate() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            assertThat(c.ok("COMPRESS DEFLATE")).isEqualTo("a2 OK DEFLATE active");
            java.util.zip.Deflater d = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
            c.streams(new java.util.zip.InflaterInputStream(c.rawIn(), new java.util.zip.Inflater(true)),
                    new java.util.zip.DeflaterOutputStream(c.rawOut(), d, true));
            List<String> r = c.cmd("LIST \"\" \"*\"");
            assertThat(r).contains("* LIST (\\HasNoChildren) \"/\" \"INBOX\"");
            assertThat(r.getLast()).isEqualTo("a3 OK LIST completed");
            assertThat(c.cmd("CAPABILITY").getFirst()).doesNotContain("COMPRESS=DEFLATE");
        }
    }
}
