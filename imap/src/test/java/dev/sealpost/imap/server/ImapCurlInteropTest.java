package dev.sealpost.imap.server;

import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop with curl's IMAP client (libcurl): lists mailboxes and reads a message over STARTTLS
 * and over implicit TLS. Skipped when curl is missing, unless {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
class ImapCurlInteropTest extends ImapTestBase {

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-k"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl output: %s", out).isZero();
        return out;
    }

    private void seed(int port) throws Exception {
        try (ImapClient c = login(port, ALICE)) {
            append(c, "INBOX", null, message("curl test", "Read me with curl"));
        }
    }

    @Test
    void curlOverStartTls() throws Exception {
        Peers.require("curl");
        seed(plainPort());
        int port = start(config(false, false)).port();
        String user = ALICE + ":" + PW;
        String list = curl("--ssl-reqd", "-u", user, "imap://127.0.0.1:" + port + "/");
        assertThat(list).contains("* LIST (\\HasNoChildren) \"/\" \"INBOX\"").contains("\"Sent\"");
        String msg = curl("--ssl-reqd", "-u", user, "imap://127.0.0.1:" + port + "/INBOX;UID=1");
        assertThat(msg).contains("Subject: curl test").contains("Read me with curl");
    }

    @Test
    void curlOverImplicitTls() throws Exception {
        Peers.require("curl");
        seed(plainPort());
        int port = start(config(true, false)).port();
        String msg = curl("-u", ALICE + ":" + PW, "imaps://127.0.0.1:" + port + "/INBOX;UID=1");
        assertThat(msg).contains("Subject: curl test").contains("Read me with curl");
        String search = curl("-u", ALICE + ":" + PW, "-X", "SEARCH SUBJECT curl", "imaps://127.0.0.1:" + port + "/INBOX");
        assertThat(search).contains("* SEARCH 1");
    }
}
