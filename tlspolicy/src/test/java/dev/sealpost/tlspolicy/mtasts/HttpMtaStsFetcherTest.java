package dev.sealpost.tlspolicy.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sealpost.core.net.dial.Dialer;
import dev.sealpost.dns.DnsHostResolver;
import dev.sealpost.dns.ZoneResolver;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real HTTPS fetches against an in-process {@link HttpsServer} on 127.0.0.1 with a certificate
 * for "localhost" and {@code mta-sts.known.invalid}. Names are resolved only by the test's
 * configured resolver (a {@link ZoneResolver}, as {@code [dns] zone_file} gives): the
 * {@code .invalid} names exist nowhere else (RFC 6761 §6.4), so a fetch that succeeds went through
 * it (issue 11). Most tests point the fetcher at the server through {@code Settings.policyUri}
 * with "localhost" (also only in the zone); the host name in the URL is the one the certificate
 * is checked against.
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
        serverCert = TestCerts.leaf(ca, "localhost", List.of("localhost", "mta-sts.known.invalid"));
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
        // the test "domain" is the first path segment: /<domain>/.well-known/mta-sts.txt;
        // for the RFC's URL (/.well-known/mta-sts.txt) it is the Host field's mta-sts.<domain>
        String path = ex.getRequestURI().getPath();
        String domain = path.startsWith("/.well-known/")
                ? ex.getRequestHeaders().getFirst("Host").replaceFirst(":[0-9]+$", "").replaceFirst("^mta-sts\\.", "")
                : path.split("/")[1];
        Reply r = replies.getOrDefault(domain, new Reply(404, "text/plain", "not found".getBytes(StandardCharsets.US_ASCII), Map.of()));
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach(ex.getResponseHeaders()::set);
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }

    /** The configured resolver of these tests: the only place these names exist. */
    static final ZoneResolver ZONE = ZoneResolver.builder()
            .a("localhost", "127.0.0.1")
            .a("mta-sts.known.invalid", "127.0.0.1")
            .a("mta-sts.wrongcert.invalid", "127.0.0.1")
            .servfail("mta-sts.servfail.invalid")
            .build();
    static final List<String> lookedUp = new CopyOnWriteArrayList<>();
    static final Dialer DIALER = new Dialer(host -> {
        lookedUp.add(host);
        return new DnsHostResolver(ZONE).lookup(host);
    }, Duration.ofSeconds(5));

    static HttpMtaStsFetcher fetcher(javax.net.ssl.SSLContext ctx, String host) {
        int port = server.getAddress().getPort();
        return new HttpMtaStsFetcher(DIALER, HttpMtaStsFetcher.Settings.defaults().withSslContext(ctx)
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
        try (HttpMtaStsFetcher f = new HttpMtaStsFetcher(DIALER, HttpMtaStsFetcher.Settings.defaults()
                .withPolicyUri(d -> URI.create("https://localhost:" + closedPort + "/.well-known/mta-sts.txt")))) {
            assertThat(f.fetch("x.example")).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).kind()).isEqualTo(Kind.FETCH_ERROR);
        }
    }

    /** The RFC's URL with the test port: https://mta-sts.<domain>:port/.well-known/mta-sts.txt. */
    static HttpMtaStsFetcher rfcFetcher() throws IOException {
        int port = server.getAddress().getPort();
        return new HttpMtaStsFetcher(DIALER, HttpMtaStsFetcher.Settings.defaults().withSslContext(trustingTestCa())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withPolicyUri(d -> URI.create(MtaStsFetcher.policyUrl(d).replace(d + "/", d + ":" + port + "/"))));
    }

    @Test
    void thePolicyHostIsResolvedThroughTheConfiguredResolverOnly() throws IOException {
        // issue 11: mta-sts.known.invalid exists only in the configured resolver; the JVM's cannot know it
        replies.put("known.invalid", Reply.ok(POLICY));
        lookedUp.clear();
        try (HttpMtaStsFetcher f = rfcFetcher()) {
            assertThat(f.fetch("known.invalid")).isInstanceOfSatisfying(Fetched.class,
                    x -> assertThat(x.policy().mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE));
        }
        assertThat(lookedUp).containsExactly("mta-sts.known.invalid");
    }

    @Test
    void aPolicyHostWhoseCertificateNamesAnotherHostIsRefused() throws IOException {
        // the configured resolver sends mta-sts.wrongcert.invalid to our server, whose certificate does not name it
        replies.put("wrongcert.invalid", Reply.ok(POLICY));
        try (HttpMtaStsFetcher f = rfcFetcher()) {
            assertThat(f.fetch("wrongcert.invalid")).isInstanceOfSatisfying(Failed.class,
                    x -> assertThat(x.kind()).isEqualTo(Kind.WEBPKI_INVALID));
        }
    }

    @Test
    void dnsFailuresOfThePolicyHostAreFetchErrors() throws IOException {
        try (HttpMtaStsFetcher f = rfcFetcher()) {
            assertThat(f.fetch("unknown.invalid")).isInstanceOfSatisfying(Failed.class, x -> {
                assertThat(x.kind()).isEqualTo(Kind.FETCH_ERROR);
                assertThat(x.reason()).contains("NAME_NOT_FOUND");
            });
            assertThat(f.fetch("servfail.invalid")).isInstanceOfSatisfying(Failed.class, x -> {
                assertThat(x.kind()).isEqualTo(Kind.FETCH_ERROR);
                assertThat(x.reason()).contains("DNS_TEMPFAIL");
            });
        }
    }

    @Test
    void productionUrl() {
        assertThat(MtaStsFetcher.policyUrl("example.com")).isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
        assertThat(HttpMtaStsFetcher.Settings.defaults().policyUri().apply("example.com"))
                .isEqualTo(URI.create("https://mta-sts.example.com/.well-known/mta-sts.txt"));
    }
}
