package dev.sealpost.it;

import dev.sealpost.store.Mailboxes;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mbsync (isync), a real IMAP sync client, against the IMAPS listener, both ways: download of
 * delivered mail, upload of local mail (APPEND with UIDPLUS), a new folder created on the server,
 * flags in both directions, and deletions (PEERS.md).
 */
class MbsyncInteropTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Path local;
    static Path rc;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("server"));
        local = dir.resolve("local");
        Files.createDirectories(local);
        rc = dir.resolve("mbsyncrc");
        Files.writeString(rc, """
                IMAPAccount sealpost
                Host 127.0.0.1
                Port %d
                User %s
                Pass "%s"
                SSLType IMAPS
                CertificateFile %s
                Timeout 20

                IMAPStore remote
                Account sealpost

                MaildirStore local
                Path %s/
                Inbox %s/INBOX
                SubFolders Verbatim

                Channel sync
                Far :remote:
                Near :local:
                Patterns *
                Create Both
                Expunge Both
                SyncState *
                """.formatted(server.server.imapPort(true), TestServer.USER, TestServer.PASSWORD, server.cert, local, local));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Peers.Result mbsync() throws Exception {
        Peers.require("mbsync");
        return Peers.run(List.of("mbsync", "-c", rc.toString(), "-a"), dir, 120);
    }

    private static List<Path> files(String folder) throws Exception {
        Path f = folder.equals("INBOX") ? local.resolve("INBOX") : local.resolve(folder);
        try (Stream<Path> s = Stream.concat(Files.list(f.resolve("cur")), Files.list(f.resolve("new")))) {
            return s.sorted().toList();
        }
    }

    private static long mailbox(String name) {
        return server.store().mailboxes().mailbox(server.accountId(TestServer.USER), name).orElseThrow().id();
    }

    @Test
    void syncsBothWays() throws Exception {
        // 1. mail delivered over SMTP is downloaded
        server.deliverLocal(TestServer.USER, "Subject: first\r\n\r\nbody one\r\n");
        server.deliverLocal(TestServer.USER, "Subject: second\r\n\r\nbody two\r\n");
        server.awaitInbox(TestServer.USER, 2);
        Peers.Result r = mbsync();
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(files("INBOX")).hasSize(2);
        assertThat(Files.readString(files("INBOX").getFirst(), StandardCharsets.UTF_8)).contains("body ");

        // 2. a local message and a new local folder are uploaded (APPEND, CREATE)
        Path projects = local.resolve("Projects");
        for (String sub : List.of("cur", "new", "tmp")) Files.createDirectories(projects.resolve(sub));
        Files.writeString(projects.resolve("new/1700000000.1.local"), "Subject: local folder\r\n\r\nmade offline\r\n");
        Files.writeString(local.resolve("INBOX/new/1700000000.2.local"), "Subject: local inbox\r\n\r\nwritten here\r\n");
        r = mbsync();
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(server.inbox(TestServer.USER)).hasSize(3);
        assertThat(server.store().mailboxes().messages(mailbox("Projects"))).hasSize(1);

        // 3. a flag set locally reaches the server (maildir info ":2,F" = \Flagged)
        Path first = files("INBOX").getFirst();
        Path flagged = first.resolveSibling(first.getFileName().toString().replaceAll(":2,.*$", "") + ":2,F");
        if (first.getParent().getFileName().toString().equals("new")) {
            flagged = local.resolve("INBOX/cur").resolve(flagged.getFileName());
        }
        Files.move(first, flagged);
        r = mbsync();
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(server.inbox(TestServer.USER)).anySatisfy(m -> assertThat(m.flags()).contains("\\Flagged"));

        // 4. a message deleted on the server disappears locally; a server-side \Seen arrives as S
        long inbox = mailbox("INBOX");
        List<Mailboxes.MessageInfo> msgs = server.store().mailboxes().messages(inbox);
        Mailboxes.MessageInfo gone = msgs.stream().filter(m -> !m.flags().contains("\\Flagged")).findFirst().orElseThrow();
        server.store().mailboxes().store(inbox, List.of(gone.uid()), Mailboxes.FlagMode.ADD, Set.of("\\Deleted"), -1);
        server.store().mailboxes().expunge(inbox, List.of(gone.uid()));
        Mailboxes.MessageInfo seen = server.store().mailboxes().messages(inbox).getLast();
        server.store().mailboxes().store(inbox, List.of(seen.uid()), Mailboxes.FlagMode.ADD, Set.of("\\Seen"), -1);
        r = mbsync();
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(files("INBOX")).hasSize(2);
        assertThat(files("INBOX")).anySatisfy(p -> assertThat(p.getFileName().toString()).matches(".*:2,[A-Z]*S[A-Z]*"));
    }
}
