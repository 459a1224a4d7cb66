package dev.sealpost.core.net.dial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.testkit.TestCerts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@link HttpsGet} and {@link Dialer} against a scripted TLS server on 127.0.0.1 whose certificate
 * names {@code web.sealpost.invalid}: a name only the test's {@link HostResolver} knows (RFC 6761
 * §6.4: the system resolver must answer NXDOMAIN for it), so every successful fetch proves the
 * name went through our resolver and not the JVM's.
 */
class HttpsGetTest {
    static final String HOST = "web.sealpost.invalid";
    static TestCerts.Issued ca;
    static SSLServerSocket server;
    static Thread acceptor;
    /** Request path → raw response bytes written after the request head. */
    static final Map<String, byte[]> script = new ConcurrentHashMap<>();
    static final List<String> heads = new CopyOnWriteArrayList<>();
    static final List<String> lookedUp = new CopyOnWriteArrayList<>();

    static final HostResolver RESOLVER = host -> {
        lookedUp.add(host);
        return switch (host) {
            case HOST, "other.sealpost.invalid" -> new HostResolver.Found(List.of(InetAddress.getLoopbackAddress()), false);
            case "two.sealpost.invalid" -> new HostResolver.Found(List.of(InetAddress.ofLiteral("::1"), InetAddress.getLoopbackAddress()), false);
            case "servfail.sealpost.invalid" -> new HostResolver.TempFail("SERVFAIL");
            default -> new HostResolver.NotFound(host + " does not exist");
        };
    };

    @BeforeAll
    static void start() throws Exception {
        ca = TestCerts.ca("Dial Test CA");
        TestCerts.Issued leaf = TestCerts.leaf(ca, HOST, List.of(HOST, "two.sealpost.invalid"));
        server = (SSLServerSocket) leaf.serverContext().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    static void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) return;
                head.write(c);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            heads.add(h);
            String path = h.split(" ", 3)[1];
            byte[] reply = script.get(path);
            if (reply == null) {
                Thread.sleep(5_000); // "/slow" and unknown paths: say nothing
                return;
            }
            OutputStream out = s.getOutputStream();
            out.write(reply);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static SSLContext trusting(java.security.cert.X509Certificate root) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static HttpsGet client() throws Exception {
        return new HttpsGet(new Dialer(RESOLVER, Duration.ofSeconds(2)), trusting(ca.cert()), "test-agent");
    }

    static final HttpsGet.Limits LIMITS = new HttpsGet.Limits(Duration.ofSeconds(2), Duration.ofSeconds(3), 1000, 4096);

    static URI url(String host, String path) {
        return URI.create("https://" + host + ":" + server.getLocalPort() + path);
    }

    @Test
    void resolvesTheNameThroughItsResolverAndChecksTheCertificateForThatName() throws Exception {
        script.put("/ok?x=1", ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"));
        lookedUp.clear();
        HttpsGet.Result r = client().get(url(HOST, "/ok?x=1"), "text/plain", LIMITS);
        assertThat(r).isInstanceOfSatisfying(HttpsGet.Response.class, x -> {
            assertThat(x.status()).isEqualTo(200);
            assertThat(new String(x.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(x.mediaType()).isEqualTo("text/plain");
        });
        assertThat(lookedUp).containsExactly(HOST);
        assertThat(heads).anySatisfy(h -> assertThat(h).startsWith("GET /ok?x=1 HTTP/1.1\r\n")
                .contains("\r\nHost: " + HOST + ":" + server.getLocalPort() + "\r\n").contains("\r\nAccept: text/plain\r\n")
                .contains("\r\nConnection: close\r\n"));
    }

    @Test
    void refusesACertificateThatDoesNotNameTheHost() throws Exception {
        script.put("/ok", ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        // the same server and address, reached under a name its certificate does not carry
        assertThat(client().get(url("other.sealpost.invalid", "/ok"), null, LIMITS))
                .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.CERTIFICATE));
        // and by IP address (no IP in the certificate)
        assertThat(client().get(url("127.0.0.1", "/ok"), null, LIMITS))
                .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.CERTIFICATE));
    }

    @Test
    void refusesAnUntrustedCertificate() throws Exception {
        HttpsGet other = new HttpsGet(new Dialer(RESOLVER, Duration.ofSeconds(2)), trusting(TestCerts.ca("Other CA").cert()), "t");
        script.put("/ok", ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(other.get(url(HOST, "/ok"), null, LIMITS))
                .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.CERTIFICATE));
    }

    @Test
    void dnsOutcomesAreValues() throws Exception {
        assertThat(client().get(url("nowhere.sealpost.invalid", "/"), null, LIMITS))
                .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.NAME_NOT_FOUND));
        assertThat(client().get(url("servfail.sealpost.invalid", "/"), null, LIMITS))
                .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.DNS_TEMPFAIL));
        assertThat(client().get(URI.create("http://" + HOST + "/"), null, LIMITS))
                .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.BAD_URL));
    }

    @Test
    void triesEachAddressInTurn() throws Exception {
        // ::1 first: nobody listens there on this port (or there is no IPv6), then 127.0.0.1 answers
        script.put("/two", ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo"));
        assertThat(client().get(url("two.sealpost.invalid", "/two"), null, LIMITS))
                .isInstanceOfSatisfying(HttpsGet.Response.class, x -> assertThat(x.body()).isEqualTo(ascii("two")));
        try (Socket s = new Dialer(RESOLVER, Duration.ofSeconds(2)).connect("two.sealpost.invalid", server.getLocalPort(), Duration.ofSeconds(3))) {
            assertThat(s.getInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        }
    }

    @Test
    void framing() throws Exception {
        script.put("/chunked", ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"));
        script.put("/close", ascii("HTTP/1.0 200 OK\r\n\r\nuntil close"));
        script.put("/interim", ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));
        script.put("/404", ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 100000\r\n\r\nnot read"));
        script.put("/redirect", ascii("HTTP/1.1 301 Moved\r\nLocation: https://elsewhere.invalid/\r\nContent-Length: 0\r\n\r\n"));
        HttpsGet c = client();
        assertThat(body(c, "/chunked")).isEqualTo("hello world");
        assertThat(body(c, "/close")).isEqualTo("until close");
        assertThat(body(c, "/interim")).isEqualTo("x");
        assertThat(c.get(url(HOST, "/404"), null, LIMITS)).isInstanceOfSatisfying(HttpsGet.Response.class, x -> {
            assertThat(x.status()).isEqualTo(404);
            assertThat(x.body()).isEmpty();
        });
        // redirects are returned, never followed
        assertThat(c.get(url(HOST, "/redirect"), null, LIMITS)).isInstanceOfSatisfying(HttpsGet.Response.class, x -> {
            assertThat(x.status()).isEqualTo(301);
            assertThat(x.header("Location")).contains("https://elsewhere.invalid/");
        });
    }

    @Test
    void refusesAmbiguousFramingAndOversizeBodies() throws Exception {
        script.put("/both", ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        script.put("/two-lengths", ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"));
        script.put("/gzip-te", ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"));
        script.put("/folded", ascii("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n"));
        script.put("/bare-cr", ascii("HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2\r\nContent-Length: 0\r\n\r\n"));
        script.put("/big-length", ascii("HTTP/1.1 200 OK\r\nContent-Length: 1001\r\n\r\n"));
        script.put("/big-chunks", ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "a".repeat(1000) + "\r\n1\r\nb\r\n0\r\n\r\n"));
        script.put("/big-close", ascii("HTTP/1.1 200 OK\r\n\r\n" + "a".repeat(1001)));
        script.put("/huge-head", ascii("HTTP/1.1 200 OK\r\nX-A: " + "a".repeat(5000) + "\r\n\r\n"));
        script.put("/short", ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        HttpsGet c = client();
        for (String p : List.of("/both", "/two-lengths", "/gzip-te", "/folded", "/bare-cr", "/huge-head")) {
            assertThat(c.get(url(HOST, p), null, LIMITS)).as(p)
                    .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.PROTOCOL));
        }
        for (String p : List.of("/big-length", "/big-chunks", "/big-close")) {
            assertThat(c.get(url(HOST, p), null, LIMITS)).as(p)
                    .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.TOO_LARGE));
        }
        assertThat(c.get(url(HOST, "/short"), null, LIMITS))
                .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.IO));
    }

    @Test
    void theWholeExchangeIsBounded() throws Exception {
        long t0 = System.nanoTime();
        HttpsGet.Limits quick = new HttpsGet.Limits(Duration.ofSeconds(1), Duration.ofMillis(700), 1000, 4096);
        assertThat(client().get(url(HOST, "/slow"), null, quick))
                .isInstanceOfSatisfying(HttpsGet.Failure.class, f -> assertThat(f.kind()).isEqualTo(HttpsGet.Failure.Kind.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void literalsAreParsedNeverLookedUp() {
        assertThat(Dialer.literal("192.0.2.1")).isEqualTo(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(Dialer.literal("[2001:db8::1]")).isEqualTo(InetAddress.ofLiteral("2001:db8::1"));
        assertThat(Dialer.literal("IPv6:2001:db8::1")).isEqualTo(InetAddress.ofLiteral("2001:db8::1"));
        assertThat(Dialer.literal("cafe")).isNull();
        assertThat(Dialer.literal("1.2.3.4.5")).isNull();
        assertThat(Dialer.literal("example.com")).isNull();
        assertThat(HostResolver.LITERALS_ONLY.lookup("example.com")).isInstanceOf(HostResolver.NotFound.class);
        assertThat(HostResolver.LITERALS_ONLY.lookup("127.0.0.1")).isInstanceOf(HostResolver.Found.class);
    }

    static String body(HttpsGet c, String path) {
        HttpsGet.Result r = c.get(url(HOST, path), null, LIMITS);
        assertThat(r).as(path).isInstanceOf(HttpsGet.Response.class);
        return new String(((HttpsGet.Response) r).body(), StandardCharsets.US_ASCII);
    }
}
