package dev.sealpost.imap.server;

import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** A real store in a temp dir with alice and bob, and helpers to start IMAP listeners on free ports. */
abstract class ImapTestBase {
    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";
    static final String PW = "secret-pw";
    private static SSLContext tls;

    @TempDir
    Path dir;
    Store store;
    final List<ImapServer> servers = new ArrayList<>();

    static synchronized SSLContext tls() {
        if (tls == null) tls = TestCerts.selfSigned("localhost", List.of("localhost")).serverContext();
        return tls;
    }

    @BeforeEach
    void openStore() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount(ALICE, PW.toCharArray());
        store.directory().addAccount(BOB, PW.toCharArray());
    }

    @AfterEach
    void closeAll() {
        for (ImapServer s : servers) s.close();
        store.close();
    }

    ImapServerConfig config(boolean implicitTls, boolean plaintext) {
        return new ImapServerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), implicitTls, dev.sealpost.core.tls.ServerTls.of(tls()),
                plaintext, "imap.example.test", ImapServerConfig.Limits.defaults()
                .withPollInterval(java.time.Duration.ofMillis(500)));
    }

    ImapServer start(ImapServerConfig cfg) throws Exception {
        return start(cfg, null);
    }

    ImapServer start(ImapServerConfig cfg, LoginThrottle throttle) throws Exception {
        ImapServer s = new ImapServer(cfg, store, throttle == null ? null : new LoginGate(throttle));
        s.start();
        servers.add(s);
        return s;
    }

    /** A cleartext listener that allows LOGIN without TLS (most dialogue tests). */
    int plainPort() throws Exception {
        return start(config(false, true)).port();
    }

    /** A client logged in as {@code user} on a plaintext-allowed listener. */
    ImapClient login(int port, String user) throws Exception {
        ImapClient c = ImapClient.connect(port);
        String r = c.ok("LOGIN " + user + " " + PW);
        if (!r.contains("OK")) throw new AssertionError("login failed: " + r);
        return c;
    }

    static String message(String subject, String body) {
        return "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '.') + "@example.test>\r\nDate: Mon, 23 Nov 2026 08:00:00 +0000\r\n\r\n"
                + body + "\r\n";
    }

    /** APPENDs a message with a synchronizing literal and returns the tagged line. */
    static String append(ImapClient c, String mailbox, String flags, String msg) throws Exception {
        byte[] b = msg.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String tag = c.nextTag();
        c.send(tag + " APPEND " + mailbox + (flags == null ? "" : " (" + flags + ")") + " {" + b.length + "}");
        String cont = c.readLine();
        if (!cont.startsWith("+")) return cont;
        c.sendRaw(b);
        c.send("");
        return c.until(tag).getLast();
    }
}
