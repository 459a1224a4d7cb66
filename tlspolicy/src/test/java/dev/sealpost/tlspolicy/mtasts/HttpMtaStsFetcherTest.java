package dev.sealpost.tlspolicy.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sealpost.testkit.TestCerts;
import dev.sealpost.tlspolicy.TrustStores;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher.Failed;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher.Fetched;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real HTTPS fetches against an in-process {@link HttpsServer} on 127.0.0.1 with a certificate
 * for "localhost"; the fetcher is pointed at it through {@code Settings.policyUri}, so the host
 * name the certificate is checked against is "localhost".
 */
class HttpMtaStsFetcherTest {
    static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";

    /** Path (the domain's first label) → response: status, content type, body. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply ok(String body) {
            return new Reply(200, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    static HttpsServer server;
    static TestCerts.Issued serverCert;
    static TestCerts.Issued ca;
    static final Map<String, Reply> replies = new ConcurrentHashMap<>();
    static final AtomicInteger requests = new AtomicInteger();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCerts.ca("Sealpost Test CA");
        serverCert = TestCerts.leaf(ca, "localhost", List.of("localhost"));
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverCert.serverContext()));
        server.createContext("/", HttpMtaStsFetcherTest::handle);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        // the test "domain" is the first path segment: /<domain>/.well-known/mta-sts.txt
        String domain = ex.getRequestURI().getPath().split("/")[1];
        Reply r = replies.getOrDefault(domain, new Reply(404, "text/plain", "not found".getBytes(StandardCharsets.US_ASCII), Map.of()));
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach(ex.getResponseHeaders()::set);
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }

    static HttpMtaStsFetcher fetcher(javax.net.ssl.SSLContext ctx, String host) {
        int port = server.getAddress().getPort();
        return new HttpMtaStsFetcher(HttpMtaStsFetcher.Settings.defaults().withSslContext(ctx)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withPolicyUri(d -> URI.create("https://" + host + ":" + port + "/" + d + "/.well-known/mta-sts.txt")));
    }

    /** Trust from a PEM file, as {@code --tls-ca FILE} will give. */
    static javax.net.ssl.SSLContext trustingTestCa() throws IOException {
        Path pem = tmp.resolve("ca.pem");
        Files.writeString(pem, ca.pem());
        return TrustStores.clientContext(TrustStores.trustManager(TrustStores.readCertificates(pem), true));
    }

    @Test
    void fetchesOverHttpsWithTheConfiguredTrustStore() throws IOException {
        replies.put("good.example", Reply.ok(POLICY));
        try (HttpMtaStsFetcher f = fetcher(trustingTestCa(), "localhost")) {
            MtaStsFetcher.FetchResult r = f.fetch("good.example");
            assertThat(r).isInstanceOf(Fetched.class);
            MtaStsPolicy p = ((Fetched) r).policy();
            assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
            assertThat(p.mx()).containsExactly("mx.example.com");
        }
    }

    @Test
    void refusesAnUntrustedCertificate() {
        replies.put("good.example", Reply.ok(POLICY));
        // JDK default CAs only: our test CA is unknown
        try (HttpMtaStsFetcher f = fetcher(TrustStores.clientContext(TrustStores.defaultTrustManager()), "localhost")) {
            MtaStsFetcher.FetchResult r = f.fetch("good.example");
            assertThat(r).isInstanceOf(Failed.class);
            assertThat(((Failed) r).kind()).isEqualTo(Kind.WEBPKI_INVALID);
        }
    }

    @Test
    void refusesACertificateForAnotherName() throws IOException {
        replies.put("good.example", Reply.ok(POLICY));
        // 127.0.0.1 is not a name in the certificate (it names only "localhost")
        try (HttpMtaStsFetcher f = fetcher(trustingTestCa(), "127.0.0.1")) {
            MtaStsFetcher.FetchResult r = f.fetch("good.example");
            assertThat(r).isInstanceOf(Failed.class);
            assertThat(((Failed) r).kind()).isEqualTo(Kind.WEBPKI_INVALID);
        }
    }

    @Test
    void refusesRedirectsWrongMediaTypeErrorsOversizeAndBadPolicies() throws IOException {
        replies.put("redirect.example", new Reply(301, "text/plain", new byte[0],
                Map.of("Location", "https://localhost:" + server.getAddress().getPort() + "/good.example/.well-known/mta-sts.txt")));
        replies.put("html.example", new Reply(200, "text/html", POLICY.getBytes(StandardCharsets.US_ASCII), Map.of()));
        replies.put("big.example", new Reply(200, "text/plain", (POLICY + "x: " + "y".repeat(70_000) + "\n").getBytes(StandardCharsets.US_ASCII), Map.of()));
        replies.put("bad.example", Reply.ok("version: STSv1\nmode: sometimes\nmx: a.example\nmax_age: 1\n"));
        replies.put("good.example", Reply.ok(POLICY));
        try (HttpMtaStsFetcher f = fetcher(trustingTestCa(), "localhost")) {
            assertThat(f.fetch("redirect.example")).isEqualTo(new Failed(Kind.FETCH_ERROR, "redirect (HTTP 301) not followed"));
            assertThat(f.fetch("html.example")).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).kind()).isEqualTo(Kind.FETCH_ERROR);
            assertThat(((Failed) f.fetch("html.example")).reason()).contains("text/plain");
            assertThat(f.fetch("missing.example")).isEqualTo(new Failed(Kind.FETCH_ERROR, "HTTP status 404"));
            assertThat(f.fetch("big.example")).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).kind()).isEqualTo(Kind.FETCH_ERROR);
            assertThat(f.fetch("bad.example")).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).kind()).isEqualTo(Kind.POLICY_INVALID);
            // the redirect target was never requested through the redirect: still fetchable directly
            assertThat(f.fetch("good.example")).isInstanceOf(Fetched.class);
        }
    }

    @Test
    void connectionRefusedIsAFetchError() throws IOException {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (HttpMtaStsFetcher f = new HttpMtaStsFetcher(HttpMtaStsFetcher.Settings.defaults()
                .withPolicyUri(d -> URI.create("https://localhost:" + closedPort + "/.well-known/mta-sts.txt")))) {
            assertThat(f.fetch("x.example")).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).kind()).isEqualTo(Kind.FETCH_ERROR);
        }
    }

    @Test
    void productionUrl() {
        assertThat(MtaStsFetcher.policyUrl("example.com")).isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
        assertThat(HttpMtaStsFetcher.Settings.defaults().policyUri().apply("example.com"))
                .isEqualTo(URI.create("https://mta-sts.example.com/.well-known/mta-sts.txt"));
    }
}
