package dev.sealpost.imap.server.cmd;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.imap.server.ImapServer;
import dev.sealpost.imap.server.ImapServerConfig;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real store in a temp dir with two accounts, an IMAP listener on a free port (cleartext LOGIN
 * allowed unless a test starts its own), and fixture helpers to create the state an RFC example
 * assumes.
 */
abstract class CommandTestBase {
    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";
    static final String PW = "secret-pw";
    private static SSLContext tls;

    @TempDir
    Path dir;
    Store store;
    final List<ImapServer> servers = new ArrayList<>();
    final List<Conn> conns = new ArrayList<>();
    int port;

    static synchronized SSLContext tls() {
        if (tls == null) tls = TestCerts.selfSigned("localhost", List.of("localhost")).serverContext();
        return tls;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount(ALICE, PW.toCharArray());
        store.directory().addAccount(BOB, PW.toCharArray());
        // accounts start with Sent, Drafts, Junk, Trash and Archive; the RFC examples assume an
        // account with INBOX only, so those are removed (SpecialUse tests create their own)
        for (String user : new String[] {ALICE, BOB}) {
            long acc = store.directory().account(user).orElseThrow().id();
            for (String m : new String[] {"Sent", "Drafts", "Junk", "Trash", "Archive"}) {
                store.mailboxes().delete(acc, m);
                store.mailboxes().subscribe(acc, m, false);
            }
        }
        port = start(config(false, true));
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Conn c : conns) c.close();
        for (ImapServer s : servers) s.close();
        store.close();
    }

    ImapServerConfig config(boolean implicitTls, boolean plaintext) {
        return new ImapServerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), implicitTls, dev.sealpost.core.tls.ServerTls.of(tls()),
                plaintext, "imap.example.test", ImapServerConfig.Limits.defaults().withPollInterval(Duration.ofMillis(200)));
    }

    int start(ImapServerConfig cfg) throws Exception {
        ImapServer s = new ImapServer(cfg, store, null);
        s.start();
        servers.add(s);
        return s.port();
    }

    /** A connection past the greeting. */
    Conn connect() throws IOException {
        return connect(port);
    }

    Conn connect(int p) throws IOException {
        Conn c = new Conn(p);
        conns.add(c);
        assertThat(c.line()).startsWith("* OK [CAPABILITY IMAP4rev2 ");
        return c;
    }

    /** A connection logged in as {@code user}. */
    Conn login(String user) throws IOException {
        Conn c = connect();
        assertThat(c.status("LOGIN " + user + " " + PW)).startsWith("OK ");
        return c;
    }

    /** A connection of alice with {@code mailbox} selected. */
    Conn selected(String mailbox) throws IOException {
        Conn c = login(ALICE);
        assertThat(c.status("SELECT " + mailbox)).startsWith("OK ");
        return c;
    }

    /** APPENDs messages to one of alice's mailboxes on a connection of its own; returns their UIDs. */
    List<Long> seed(String mailbox, String flags, String... messages) throws IOException {
        return seedAs(ALICE, mailbox, flags, messages);
    }

    List<Long> seedAs(String user, String mailbox, String flags, String... messages) throws IOException {
        List<Long> uids = new ArrayList<>();
        try (Conn c = new Conn(port)) {
            c.line();
            assertThat(c.status("LOGIN " + user + " " + PW)).startsWith("OK");
            if (!mailbox.equals("INBOX")) c.cmd("CREATE " + mailbox);
            for (String m : messages) {
                String r = append(c, mailbox, flags, null, m);
                assertThat(r).startsWith("OK [APPENDUID ");
                uids.add(Long.parseLong(r.split("[ \\]]")[3]));
            }
        }
        return uids;
    }

    /** APPEND with a synchronizing literal; the tagged status without the tag. */
    static String append(Conn c, String mailbox, String flags, String date, String msg) throws IOException {
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        String tag = c.nextTag();
        c.send(tag + " APPEND " + mailbox + (flags == null ? "" : " (" + flags + ")") + (date == null ? "" : " \"" + date + "\"")
                + " {" + b.length + "}");
        String cont = c.line();
        if (!cont.startsWith("+")) return cont.substring(cont.indexOf(' ') + 1);
        c.sendRaw(b);
        c.send("");
        String last = c.until(tag).getLast();
        return last.substring(last.indexOf(' ') + 1);
    }

    static String msg(String from, String subject, String date, String body) {
        return "From: " + from + "\r\nTo: bob@example.test\r\nSubject: " + subject + "\r\nDate: " + date
                + "\r\nMessage-ID: <" + Integer.toHexString((subject + date).hashCode()) + "@example.test>\r\n\r\n" + body + "\r\n";
    }

    static String msg(String subject) {
        return msg("Alice <alice@example.test>", subject, "Mon, 23 Nov 2026 08:00:00 +0000", "Hello " + subject);
    }

    /** The UIDVALIDITY of one of alice's mailboxes. */
    long uidValidity(String mailbox) {
        long acc = store.directory().account(ALICE).orElseThrow().id();
        return store.mailboxes().mailbox(acc, mailbox).orElseThrow().uidValidity();
    }
}
