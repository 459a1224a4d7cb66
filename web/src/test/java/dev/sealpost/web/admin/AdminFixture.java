package dev.sealpost.web.admin;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.MessageSummary;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import dev.sealpost.testkit.TestCerts;
import dev.sealpost.tlspolicy.TrustStores;
import dev.sealpost.web.WebServer;
import dev.sealpost.web.WebServerConfig;
import dev.sealpost.web.api.AdminApi;
import dev.sealpost.web.api.ApiAuthenticator;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A started HTTPS web server with the admin API and the web admin over a real SQLite store:
 * domain a.test, server admin root@a.test, domain admin dom@a.test, user user@a.test; a clock
 * the test moves.
 */
final class AdminFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final String PASSWORD = "correct horse battery staple";

    final MutableClock clock = new MutableClock(T0);
    final Store store;
    final WebServer server;
    final WebSessions sessions;
    final AdminUi ui;
    final SSLContext clientTls;

    AdminFixture(Path dir, LoginGate gate) throws IOException {
        store = JdbcStore.open(new StoreConfig(dir.resolve("data"), null, null, null, clock), pw -> PasswordHasher.hash(pw, 1000, 4096));
        var d = store.directory();
        d.addDomain("a.test");
        for (String a : List.of("root@a.test", "dom@a.test", "user@a.test")) d.addAccount(a, PASSWORD.toCharArray());
        store.apiAccess().grantAdmin("root@a.test");
        store.apiAccess().grantDomainAdmin("dom@a.test", "a.test");
        TestCerts.Issued ca = TestCerts.ca("Sealpost Web Admin Test CA");
        TestCerts.Issued leaf = TestCerts.leaf(ca, "localhost", List.of("localhost"));
        clientTls = TrustStores.clientContext(TrustStores.trustManager(List.of(ca.cert()), false));
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        WebServerConfig cfg = WebServerConfig.defaults("mx.a.test").withHttp(any).withHttps(any, dev.sealpost.core.tls.ServerTls.of(leaf.serverContext()));
        server = new WebServer(cfg, store.directory());
        sessions = new WebSessions(clock);
        ui = new AdminUi(sessions, store.directory(), store.apiAccess(), store.totp(), gate, clock);
        AdminApi api = new AdminApi(store, new ApiAuthenticator(store.directory(), store.apiAccess(), gate, clock), hooks(), clock, AdminApi.DEFAULT_MAX_BODY)
                .sessions(ui);
        server.exchangeRoute(AdminApi.PREFIX, api);
        server.exchangeRoute(AdminUi.PREFIX, ui);
        server.start();
    }

    static AdminApi.Hooks hooks() {
        return new AdminApi.Hooks() {
            @Override
            public String dnsRecords(String domain) {
                return "; DNS records for " + domain + "\n" + domain + ". IN MX 10 mx.a.test.\n" + domain + ". IN TXT \"v=spf1 mx -all\"\n";
            }

            @Override
            public Optional<String> passwordProblem(char[] password) {
                return password.length < 12 ? Optional.of("password too short: at least 12 characters") : Optional.empty();
            }

            @Override
            public List<String> domainAdded(String domain, boolean dkim) {
                return List.of();
            }
        };
    }

    String origin() {
        return "https://localhost:" + server.httpsPort();
    }

    /** Spools a message from {@code from} to remote {@code to}, as delivery does; its queue id. */
    long remoteMessage(String from, List<String> to, String messageId) {
        return message(from, to, List.of(), messageId);
    }

    /**
     * Spools a message to remote {@code to} and local {@code local} accounts, as delivery does; its
     * queue id. (Only a copy in a local mailbox records the Message-ID a trace looks up.)
     */
    long message(String from, List<String> to, List<String> local, String messageId) {
        BlobRef blob;
        try {
            blob = store.blobs().put(("Message-ID: " + messageId + "\r\nSubject: t\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Spool.Recipient> rcpts = new ArrayList<>();
        for (String a : to) rcpts.add(new Spool.Recipient(a, null, null));
        for (String a : local) rcpts.add(new Spool.Recipient(a, null, null));
        long id = store.spool().enqueue(new Spool.Envelope(from, rcpts, "192.0.2.1", "client.test", from, "s1", false, false,
                null, null, null, clock.instant()), blob);
        List<Spool.Disposition> ds = new ArrayList<>();
        for (var r : store.spool().get(id).orElseThrow().recipients()) {
            if (to.contains(r.address())) ds.add(new Spool.Remote(r.id(), List.of(r.address())));
            else ds.add(new Spool.ToMailboxes(r.id(), List.of(store.directory().account(r.address()).orElseThrow().id())));
        }
        store.spool().complete(id, ds, new MessageSummary(null, "t", from, messageId));
        return id;
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
