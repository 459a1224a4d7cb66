package dev.sealpost.pop3;

import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A real store in a temp dir with two accounts, and POP3 servers on ephemeral ports. */
abstract class Pop3TestBase {
    static final String HOST = "pop.example.test";
    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";
    static final String PW = "correct horse";
    static final SSLContext SERVER_TLS = TestCerts.selfSigned(HOST, List.of(HOST)).serverContext();

    @TempDir
    Path dir;
    Store store;
    final List<Pop3Server> servers = new ArrayList<>();

    @BeforeEach
    void openStore() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()),
                pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount(ALICE, PW.toCharArray());
        store.directory().addAccount(BOB, PW.toCharArray());
    }

    @AfterEach
    void closeAll() {
        servers.forEach(Pop3Server::close);
        store.close();
    }

    static Pop3ServerConfig config(boolean implicitTls, boolean allowPlaintext) {
        return new Pop3ServerConfig(new InetSocketAddress("127.0.0.1", 0), implicitTls, dev.sealpost.core.tls.ServerTls.of(SERVER_TLS), allowPlaintext, HOST,
                Duration.ofMinutes(10), 1024, 10);
    }

    Pop3Server start(Pop3ServerConfig cfg) throws IOException {
        return start(cfg, null, null);
    }

    Pop3Server start(Pop3ServerConfig cfg, LoginThrottle throttle, Duration idle) throws IOException {
        Pop3Server s = new Pop3Server(cfg, store, throttle == null ? null : new LoginGate(throttle),
                SaslMechanisms.standard(store.directory().credentials()), idle);
        servers.add(s);
        s.start();
        return s;
    }

    /** A STLS server (plaintext login refused before TLS). */
    Pop3Server startStls() throws IOException {
        return start(config(false, false));
    }

    long accountId(String address) {
        return store.directory().account(address).orElseThrow().id();
    }

    Mailboxes.MailboxInfo inbox(String address) {
        return store.mailboxes().mailbox(accountId(address), "INBOX").orElseThrow();
    }

    List<Mailboxes.MessageInfo> inboxMessages(String address) {
        return store.mailboxes().messages(inbox(address).id());
    }

    /** Appends a message to the account's INBOX and returns its UID. */
    long append(String address, String content, String... flags) throws IOException {
        var blob = store.blobs().put(content.getBytes(StandardCharsets.UTF_8));
        var r = store.mailboxes().append(inbox(address).id(),
                List.of(new Mailboxes.NewMessage(blob, Set.of(flags), Instant.now(), null)));
        assertThat(r).isInstanceOf(Mailboxes.AppendResult.Appended.class);
        return ((Mailboxes.AppendResult.Appended) r).uids().getFirst();
    }

    static String message(String subject, String body) {
        return "From: sender@example.net\r\nTo: " + ALICE + "\r\nSubject: " + subject + "\r\n\r\n" + body;
    }

    /** Connects, upgrades with STLS (TLS 1.3) and logs in with USER/PASS. */
    static Pop3Client login(Pop3Server server, String user, String pw) throws Exception {
        Pop3Client c = Pop3Client.connect(server.port());
        assertThat(c.line()).startsWith("+OK");
        assertThat(c.cmd("STLS")).startsWith("+OK");
        c.handshake("TLSv1.3");
        assertThat(c.cmd("USER " + user)).startsWith("+OK");
        assertThat(c.cmd("PASS " + pw)).startsWith("+OK");
        return c;
    }
}
