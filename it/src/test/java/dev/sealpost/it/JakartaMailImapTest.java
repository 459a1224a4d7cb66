package dev.sealpost.it;

import dev.sealpost.store.Mailboxes;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jakarta Mail (Angus, from GreenMail) as an IMAP client over IMAPS, trusting only the test
 * server's certificate (and checking its identity, 127.0.0.1): reads a delivered message, creates
 * a folder, appends and copies into it, sets flags and expunges; the store confirms each step.
 */
class JakartaMailImapTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** An SSL context that trusts exactly the server's self-signed certificate. */
    static SSLContext trustServerCert() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(server.cert)) {
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("sealpost-" + i++, (X509Certificate) c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static Store connect() throws Exception {
        Properties p = new Properties();
        p.put("mail.imaps.ssl.socketFactory", trustServerCert().getSocketFactory());
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        p.put("mail.imaps.connectiontimeout", "10000");
        p.put("mail.imaps.timeout", "10000");
        Session session = Session.getInstance(p);
        Store store = session.getStore("imaps");
        store.connect("127.0.0.1", server.server.imapPort(true), TestServer.USER, TestServer.PASSWORD);
        return store;
    }

    @Test
    void readsAndWritesFoldersOverImaps() throws Exception {
        server.deliverLocal(TestServer.USER, "From: Carol <carol@elsewhere.test>\r\nTo: " + TestServer.USER
                + "\r\nSubject: Jakarta IMAP check\r\nMessage-ID: <jm-imap-1@elsewhere.test>\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello from the delivery path.\r\n");
        server.awaitInbox(TestServer.USER, 1);
        long account = server.accountId(TestServer.USER);
        Store store = connect();
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] found = inbox.search(new SubjectTerm("Jakarta IMAP check"));
            assertThat(found).hasSize(1);
            Message delivered = found[0];
            assertThat(delivered.getSubject()).isEqualTo("Jakarta IMAP check");
            assertThat(((String) delivered.getContent()).strip()).isEqualTo("Hello from the delivery path.");
            assertThat(delivered.getFrom()[0].toString()).contains("carol@elsewhere.test");

            Folder archive = store.getFolder("Archive/Jakarta");
            assertThat(archive.exists()).isFalse();
            assertThat(archive.create(Folder.HOLDS_MESSAGES)).isTrue();
            assertThat(archive.exists()).isTrue();
            assertThat(store.getFolder("Archive").list("*")).extracting(Folder::getFullName).contains("Archive/Jakarta");

            // COPY from INBOX and APPEND of a new message
            inbox.copyMessages(new Message[] {delivered}, archive);
            MimeMessage fresh = new MimeMessage(Session.getInstance(new Properties()));
            fresh.setFrom(new InternetAddress("me@example.test"));
            fresh.setSubject("Appended by Jakarta Mail");
            fresh.setText("Appended body.\n", "utf-8");
            fresh.setFlag(Flags.Flag.SEEN, true);
            archive.appendMessages(new Message[] {fresh});
            List<Mailboxes.MessageInfo> stored = server.store().mailboxes().messages(account, "Archive/Jakarta");
            assertThat(stored).hasSize(2);
            assertThat(stored.get(1).flags()).contains("\\Seen");

            archive.open(Folder.READ_WRITE);
            assertThat(archive.getMessageCount()).isEqualTo(2);
            Message copy = archive.getMessage(1);
            Message appended = archive.getMessage(2);
            assertThat(copy.getSubject()).isEqualTo("Jakarta IMAP check");
            assertThat(appended.getSubject()).isEqualTo("Appended by Jakarta Mail");
            assertThat(((String) appended.getContent()).strip()).isEqualTo("Appended body.");
            long copyUid = ((UIDFolder) archive).getUID(copy);

            // flags: a system flag and a keyword; then delete and expunge the appended one
            copy.setFlag(Flags.Flag.FLAGGED, true);
            copy.setFlags(new Flags("$Jakarta"), true);
            appended.setFlag(Flags.Flag.DELETED, true);
            Message[] gone = archive.expunge();
            assertThat(gone).hasSize(1);
            assertThat(archive.getMessageCount()).isEqualTo(1);
            assertThat(((UIDFolder) archive).getUID(archive.getMessage(1))).isEqualTo(copyUid);
            archive.close(false);
            inbox.close(false);

            stored = server.store().mailboxes().messages(account, "Archive/Jakarta");
            assertThat(stored).hasSize(1);
            assertThat(stored.getFirst().uid()).isEqualTo(copyUid);
            assertThat(stored.getFirst().flags()).contains("\\Flagged", "$Jakarta").doesNotContain("\\Recent");
            // the original stays in INBOX
            assertThat(server.inbox(TestServer.USER)).hasSize(1);
        } finally {
            store.close();
        }
    }
}
