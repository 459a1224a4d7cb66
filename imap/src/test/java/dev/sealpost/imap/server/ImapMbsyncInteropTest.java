package dev.sealpost.imap.server;

import dev.sealpost.testkit.Peers;
import dev.sealpost.testkit.TestCerts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop with mbsync (isync): a full two-way sync between our IMAPS listener and a local Maildir
 * (LIST, SELECT, UID FETCH, APPEND with UIDPLUS, STORE, EXPUNGE). Skipped when mbsync is missing,
 * unless {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
class ImapMbsyncInteropTest extends ImapTestBase {

    private String mbsync(Path rc) throws Exception {
        Process p = new ProcessBuilder("mbsync", "-c", rc.toString(), "-a").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("mbsync output: %s", out).isZero();
        return out;
    }

    @Test
    void twoWaySyncWithMaildir() throws Exception {
        Peers.require("mbsync");
        // mbsync checks the certificate's DNS names against the host it connects to
        TestCerts.Issued cert = TestCerts.selfSigned("127.0.0.1", List.of("127.0.0.1", "localhost"));
        ImapServerConfig cfg = new ImapServerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), true,
                dev.sealpost.core.tls.ServerTls.of(cert.serverContext()), false, "imap.example.test", ImapServerConfig.Limits.defaults());
        int port = start(cfg).port();
        int plain = plainPort();
        try (ImapClient c = login(plain, ALICE)) {
            append(c, "INBOX", null, message("from server one", "first"));
            append(c, "INBOX", "\\Seen", message("from server two", "second"));
        }
        Path pem = dir.resolve("server.pem");
        Files.writeString(pem, cert.pem());
        Path maildir = dir.resolve("maildir");
        Files.createDirectories(maildir);
        Path rc = dir.resolve("mbsyncrc");
        Files.writeString(rc, String.join("\n",
                "IMAPAccount sealpost",
                "Host 127.0.0.1",
                "Port " + port,
                "User " + ALICE,
                "Pass " + PW,
                "SSLType IMAPS",
                "CertificateFile " + pem,
                "",
                "IMAPStore remote",
                "Account sealpost",
                "",
                "MaildirStore local",
                "Path " + maildir + "/",
                "Inbox " + maildir + "/INBOX",
                "SubFolders Verbatim",
                "",
                "Channel sync",
                "Far :remote:",
                "Near :local:",
                "Patterns INBOX Sent",
                "Create Both",
                "Expunge Both",
                "SyncState *",
                ""));
        mbsync(rc);
        // unseen messages land in new/, seen ones in cur/
        try (Stream<Path> cur = Files.list(maildir.resolve("INBOX").resolve("cur"));
             Stream<Path> fresh = Files.list(maildir.resolve("INBOX").resolve("new"))) {
            List<Path> got = Stream.concat(cur, fresh).toList();
            assertThat(got).hasSize(2);
            String all = String.join("\n", got.stream().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList());
            assertThat(all).contains("Subject: from server one", "Subject: from server two");
        }
        // a new local message goes up with APPEND; a local flag change goes up with STORE
        Path newMsg = maildir.resolve("INBOX").resolve("new").resolve("1700000000.1.local");
        Files.writeString(newMsg, message("from maildir", "third").replace("\r\n", "\n"));
        mbsync(rc);
        try (ImapClient c = login(plain, ALICE)) {
            c.ok("SELECT INBOX");
            List<String> subjects = c.cmd("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertThat(String.join("\n", subjects)).contains("Subject: from maildir");
            assertThat(subjects.getLast()).endsWith("OK FETCH completed");
        }
    }
}
