package dev.sealpost.web.api;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.store.ApiAccess;
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

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A started web server with the API over a real SQLite store in a temp directory: domains a.test
 * and b.test, and one account per role with a token each (plus a revoked one).
 */
final class ApiFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final String PASSWORD = "correct horse battery staple";

    final Path dir;
    final MutableClock clock = new MutableClock(T0);
    final Store store;
    final WebServer server;
    final AdminApi api;
    final TestCerts.Issued ca;
    final SSLContext clientTls;
    final Path caPem;
    String adminToken, domainAToken, domainBToken, userToken, revokedToken;

    ApiFixture(Path dir, LoginGate gate) throws IOException {
        this.dir = dir;
        store = JdbcStore.open(new StoreConfig(dir.resolve("data"), null, null, null, clock), pw -> PasswordHasher.hash(pw, 1000, 4096));
        var d = store.directory();
        d.addDomain("a.test");
        d.addDomain("b.test");
        for (String a : List.of("root@a.test", "dom@a.test", "dom@b.test", "user@a.test", "other@a.test", "user@b.test")) {
            d.addAccount(a, PASSWORD.toCharArray());
        }
        ApiAccess access = store.apiAccess();
        access.grantAdmin("root@a.test");
        access.grantDomainAdmin("dom@a.test", "a.test");
        access.grantDomainAdmin("dom@b.test", "b.test");
        adminToken = token("root@a.test", ApiAccess.Scope.ADMIN);
        domainAToken = token("dom@a.test", ApiAccess.Scope.DOMAIN);
        domainBToken = token("dom@b.test", ApiAccess.Scope.DOMAIN);
        userToken = token("user@a.test", ApiAccess.Scope.SELF);
        revokedToken = ApiToken.generate();
        ApiAccess.Token t = access.addToken("root@a.test", "old", ApiAccess.Scope.ADMIN, ApiToken.hash(revokedToken));
        access.revokeToken(t.id(), T0);

        ca = TestCerts.ca("Sealpost API Test CA");
        TestCerts.Issued leaf = TestCerts.leaf(ca, "localhost", List.of("localhost"));
        clientTls = TrustStores.clientContext(TrustStores.trustManager(List.of(ca.cert()), false));
        caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, TestCerts.pem(ca.cert()), StandardCharsets.US_ASCII);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        WebServerConfig cfg = WebServerConfig.defaults("mx.a.test").withHttp(any).withHttps(any, dev.sealpost.core.tls.ServerTls.of(leaf.serverContext()));
        server = new WebServer(cfg, store.directory());
        api = new AdminApi(store, new ApiAuthenticator(store.directory(), access, gate, clock), hooks(), clock, AdminApi.DEFAULT_MAX_BODY);
        server.exchangeRoute(AdminApi.PREFIX, api);
        server.start();
    }

    private String token(String address, ApiAccess.Scope scope) {
        String t = ApiToken.generate();
        store.apiAccess().addToken(address, "test", scope, ApiToken.hash(t));
        return t;
    }

    /** Hooks as the app wires them, minus the DKIM keys and the real zone text. */
    static AdminApi.Hooks hooks() {
        return new AdminApi.Hooks() {
            @Override
            public String dnsRecords(String domain) {
                return "; DNS records for " + domain + "\n" + domain + ". IN MX 10 mx.a.test.\n";
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

    String base() {
        return "https://localhost:" + server.httpsPort() + AdminApi.PREFIX;
    }

    /** Spools a message from {@code from} to remote {@code to} addresses and local {@code local} accounts, as delivery does. */
    long message(String from, String authUser, List<String> to, List<String> local, String messageId) {
        BlobRef blob;
        try {
            blob = store.blobs().put(("Message-ID: " + messageId + "\r\nSubject: t\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Spool.Recipient> rcpts = new ArrayList<>();
        for (String a : to) rcpts.add(new Spool.Recipient(a, null, null));
        for (String a : local) rcpts.add(new Spool.Recipient(a, null, null));
        long id = store.spool().enqueue(new Spool.Envelope(from, rcpts, "192.0.2.1", "client.test", authUser, "s1", false, false,
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
