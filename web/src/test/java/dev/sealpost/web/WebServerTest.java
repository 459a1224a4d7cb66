package dev.sealpost.web;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sealpost.testkit.TestCerts;
import dev.sealpost.tlspolicy.TrustStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener over real sockets: the JDK HttpClient (names under .test resolve to 127.0.0.1
 * through {@link TestHostsResolver}) and hand-written requests where a test needs an exact Host
 * line, a method the client will not send, or a malformed request.
 */
class WebServerTest {
    static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmx: *.backup.example.test\r\nmax_age: 86400\r\n";

    static TestCerts.Issued ca;
    static SSLContext clientTls;
    static final Set<String> domains = ConcurrentHashMap.newKeySet();
    static WebServer server;
    static HttpClient client;
    static ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCerts.ca("Sealpost Web Test CA");
        TestCerts.Issued leaf = TestCerts.leaf(ca, "mta-sts.example.test",
                List.of("mta-sts.example.test", "autoconfig.example.test", "mta-sts.other.test", "localhost"));
        clientTls = TrustStores.clientContext(TrustStores.trustManager(List.of(ca.cert()), false));
        domains.add("example.test");
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        WebServerConfig cfg = WebServerConfig.defaults("mx.example.test")
                .withHttp(any).withHttps(any, dev.sealpost.core.tls.ServerTls.of(leaf.serverContext()))
                .withMtaSts(WebServerConfig.MtaStsMode.ENFORCE, List.of("mx.example.test", "*.backup.example.test"), 86400);
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(WebServer.class)).addAppender(logs);
        server = new WebServer(cfg, domains::contains);
        server.start();
        client = HttpClient.newBuilder().sslContext(clientTls).proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (client != null) client.close();
    }

    static HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String https(String hostAndPath) {
        return "https://" + hostAndPath.replaceFirst("/", ":" + server.httpsPort() + "/");
    }

    static String http(String hostAndPath) {
        return "http://" + hostAndPath.replaceFirst("/", ":" + server.httpPort() + "/");
    }

    /** One hand-written request (send "Connection: close" in it); the whole response as text. */
    static String raw(boolean tls, String request) throws IOException {
        Socket s;
        if (tls) {
            SSLSocket ssl = (SSLSocket) clientTls.getSocketFactory().createSocket("127.0.0.1", server.httpsPort());
            SSLParameters p = ssl.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("mta-sts.example.test")));
            ssl.setSSLParameters(p);
            s = ssl;
        } else {
            s = new Socket("127.0.0.1", server.httpPort());
        }
        try (s) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void policyOverHttpsForALocalDomain() throws Exception {
        HttpResponse<String> r = get(https("mta-sts.example.test/.well-known/mta-sts.txt"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(POLICY);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(server.policyText()).isEqualTo(POLICY);
    }

    @Test
    void policyHostMatchIgnoresCaseAndPort() throws Exception {
        String resp = raw(true, "GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: MTA-STS.Example.TEST:443\r\nConnection: close\r\n\r\n");
        assertThat(resp).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n" + POLICY);
        String dot = raw(true, "GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.example.test.\r\nConnection: close\r\n\r\n");
        assertThat(dot).startsWith("HTTP/1.1 200");
    }

    @Test
    void policyOnlyForLocalDomainsAndDomainsAddedLaterAreServed() throws Exception {
        assertThat(get(https("mta-sts.other.test/.well-known/mta-sts.txt")).statusCode()).isEqualTo(404);
        assertThat(raw(true, "GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
        assertThat(raw(true, "GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
        domains.add("other.test");
        try {
            assertThat(get(https("mta-sts.other.test/.well-known/mta-sts.txt")).body()).isEqualTo(POLICY);
        } finally {
            domains.remove("other.test");
        }
    }

    @Test
    void policyNeverOverPlainHttp() throws Exception {
        // RFC 8461 §3.3: HTTPS only
        HttpResponse<String> r = get(http("mta-sts.example.test/.well-known/mta-sts.txt"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("STSv1");
    }

    @Test
    void otherPathsAndTraversalAttemptsAre404() throws Exception {
        for (String path : List.of("/", "/.well-known/mta-sts.txt/", "/.well-known/../.well-known/mta-sts.txt",
                "/.well-known/%2e%2e/%2e%2e/etc/passwd", "/../../../../etc/passwd", "/.well-known/MTA-STS.TXT",
                "/.well-known/mta-sts.txt%00")) {
            String resp = raw(true, "GET " + path + " HTTP/1.1\r\nHost: mta-sts.example.test\r\nConnection: close\r\n\r\n");
            assertThat(resp).as(path).startsWith("HTTP/1.1 404").doesNotContain("root:").doesNotContain("STSv1");
        }
    }

    @Test
    void headHasTheLengthButNoBody() throws Exception {
        String resp = raw(true, "HEAD /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.example.test\r\nConnection: close\r\n\r\n");
        assertThat(resp).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: " + POLICY.length() + "\r\n")
                .endsWith("\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"})
    void onlyGetAndHead(String method) throws Exception {
        String resp = raw(true, method + " /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.example.test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(resp).startsWith("HTTP/1.1 405").containsIgnoringCase("allow: GET, HEAD\r\n").doesNotContain("STSv1");
    }

    @Test
    void twoHostLinesOrNoneInHttp11AreBadRequests() throws Exception {
        // RFC 9112 §3.2
        assertThat(raw(true, "GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.example.test\r\nHost: mta-sts.evil.test\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(raw(false, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(raw(false, "GET /healthz HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void absoluteFormTargetWinsOverHost() throws Exception {
        // RFC 9112 §3.2.2
        String resp = raw(true, "GET https://mta-sts.example.test/.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.evil.test\r\nConnection: close\r\n\r\n");
        assertThat(resp).startsWith("HTTP/1.1 200").endsWith(POLICY);
    }

    @Test
    void healthOnBothListeners() throws Exception {
        for (String url : List.of(http("localhost/healthz"), https("localhost/healthz"))) {
            HttpResponse<String> r = get(url);
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok");
            assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        }
    }

    static Document xml(String body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    record Srv(String element, String type, String host, int port, String socketType, String auth, String user) {}

    static List<Srv> servers(Document d) {
        List<Srv> out = new ArrayList<>();
        for (String el : List.of("incomingServer", "outgoingServer")) {
            NodeList n = d.getElementsByTagName(el);
            for (int i = 0; i < n.getLength(); i++) {
                Element e = (Element) n.item(i);
                out.add(new Srv(el, e.getAttribute("type"), text(e, "hostname"), Integer.parseInt(text(e, "port")),
                        text(e, "socketType"), text(e, "authentication"), text(e, "username")));
            }
        }
        return out;
    }

    static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent();
    }

    @Test
    void autoconfigForALocalAddress() throws Exception {
        HttpResponse<String> r = get(http("autoconfig.example.test/mail/config-v1.1.xml?emailaddress=alice%40example.test"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/xml; charset=utf-8");
        Document d = xml(r.body());
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("clientConfig");
        assertThat(d.getDocumentElement().getAttribute("version")).isEqualTo("1.1");
        Element provider = (Element) d.getElementsByTagName("emailProvider").item(0);
        assertThat(provider.getAttribute("id")).isEqualTo("example.test");
        assertThat(text(provider, "domain")).isEqualTo("example.test");
        assertThat(servers(d)).containsExactly(
                new Srv("incomingServer", "imap", "mx.example.test", 993, "SSL", "password-cleartext", "%EMAILADDRESS%"),
                new Srv("incomingServer", "imap", "mx.example.test", 143, "STARTTLS", "password-cleartext", "%EMAILADDRESS%"),
                new Srv("incomingServer", "pop3", "mx.example.test", 995, "SSL", "password-cleartext", "%EMAILADDRESS%"),
                new Srv("outgoingServer", "smtp", "mx.example.test", 465, "SSL", "password-cleartext", "%EMAILADDRESS%"),
                new Srv("outgoingServer", "smtp", "mx.example.test", 587, "STARTTLS", "password-cleartext", "%EMAILADDRESS%"));
        // ManageSieve (RFC 5804 §1.8: 4190, STARTTLS) beside the provider, as our extension
        Element sieve = (Element) d.getElementsByTagName("manageSieveServer").item(0);
        assertThat(sieve.getParentNode()).isEqualTo(d.getDocumentElement());
        assertThat(List.of(text(sieve, "hostname"), text(sieve, "port"), text(sieve, "socketType")))
                .containsExactly("mx.example.test", "4190", "STARTTLS");
        // the address is not echoed
        assertThat(r.body()).doesNotContain("alice");
    }

    @Test
    void autoconfigByHostOnTheWellKnownPathAndOverHttps() throws Exception {
        HttpResponse<String> byHost = get(https("autoconfig.example.test/.well-known/autoconfig/mail/config-v1.1.xml"));
        assertThat(byHost.statusCode()).isEqualTo(200);
        assertThat(servers(xml(byHost.body()))).hasSize(5);
        // Thunderbird asks autoconfig.<domain> with the address; any host name works when the address is local
        assertThat(get(http("localhost/mail/config-v1.1.xml?emailaddress=ALICE@Example.Test")).statusCode()).isEqualTo(200);
    }

    @Test
    void autoconfigRefusesForeignAndMalformedAddresses() throws Exception {
        assertThat(get(http("autoconfig.example.test/mail/config-v1.1.xml?emailaddress=mallory%40other.test")).statusCode()).isEqualTo(404);
        assertThat(get(http("autoconfig.other.test/mail/config-v1.1.xml")).statusCode()).isEqualTo(404);
        assertThat(get(http("localhost/mail/config-v1.1.xml")).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = get(http("autoconfig.example.test/mail/config-v1.1.xml?emailaddress=%3Cscript%3E"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain("<script>");
        // an incomplete %-escape: not an absent address (which would fall back to the Host) but a bad request
        assertThat(raw(false, "GET /mail/config-v1.1.xml?emailaddress=%E0%A HTTP/1.1\r\nHost: autoconfig.example.test\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        String longQuery = "emailaddress=alice%40example.test&x=" + "a".repeat(WebServer.MAX_QUERY);
        assertThat(get(http("autoconfig.example.test/mail/config-v1.1.xml?" + longQuery)).statusCode()).isEqualTo(400);
    }

    @Test
    void logsThePathButNotTheQuery() throws Exception {
        get(http("autoconfig.example.test/mail/config-v1.1.xml?emailaddress=secret.person%40example.test"));
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anyMatch(l -> l.contains("path=/mail/config-v1.1.xml") && l.contains("status=200") && l.contains("method=GET"));
        assertThat(lines).noneMatch(l -> l.contains("secret.person"));
    }

    @Test
    void oversizedHeadersAreRefusedByTheServer() throws Exception {
        String big = "X-Filler: " + "a".repeat(20_000) + "\r\n";
        String resp;
        try {
            resp = raw(false, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + big + "Connection: close\r\n\r\n");
        } catch (IOException e) {
            resp = "closed: " + e; // the JDK server may drop the connection while we still write
        }
        assertThat(resp).doesNotStartWith("HTTP/1.1 200");
        // and it still serves the next client
        assertThat(get(http("localhost/healthz")).statusCode()).isEqualTo(200);
    }

    @Test
    void theJdkServerIsBounded() {
        // set by WebServer before the first HttpServer exists, unless the operator chose otherwise
        assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("30");
        assertThat(System.getProperty("sun.net.httpserver.maxRspTime")).isEqualTo("30");
        assertThat(System.getProperty("sun.net.httpserver.maxReqHeaders")).isEqualTo("64");
        assertThat(System.getProperty("sun.net.httpserver.maxReqHeaderSize")).isEqualTo("16384");
        assertThat(System.getProperty("jdk.httpserver.maxConnections")).isEqualTo("1000");
    }

    @Test
    void ourOwnFailureGivesA500WithoutDetails() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (WebServer broken = new WebServer(WebServerConfig.defaults("mx.example.test").withHttp(any), d -> {
            throw new IllegalStateException("database gone at /var/lib/secret");
        })) {
            broken.start();
            assertThat(broken.httpsPort()).isEqualTo(-1);
            HttpResponse<String> r = get("http://autoconfig.example.test:" + broken.httpPort() + "/mail/config-v1.1.xml");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("internal error\n");
            // and the listener carries on
            assertThat(get("http://localhost:" + broken.httpPort() + "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void closeReleasesThePorts() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        WebServer s = new WebServer(WebServerConfig.defaults("mx.example.test").withHttp(any), d -> true);
        s.start();
        int port = s.httpPort();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
        s.close();
        assertThat(s.httpPort()).isEqualTo(-1);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void addedRoutesServeTheirPrefixLongestFirst() throws Exception {
        server.addRoute("/feature/", (path, secure) -> java.util.Optional.of(new WebRoute.Reply(200, "text/plain", (path + " " + secure).getBytes(StandardCharsets.UTF_8), null)));
        server.addRoute("/feature/deep/", (path, secure) -> path.endsWith("/none") ? java.util.Optional.empty()
                : java.util.Optional.of(new WebRoute.Reply(201, "text/plain", "deep".getBytes(StandardCharsets.UTF_8), java.util.Map.of("Cache-Control", "no-store"))));
        HttpResponse<String> a = get(https("mta-sts.example.test/feature/x"));
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("/feature/x true");
        assertThat(get(http("mta-sts.example.test/feature/y")).body()).isEqualTo("/feature/y false");
        HttpResponse<String> deep = get(https("mta-sts.example.test/feature/deep/z"));
        assertThat(deep.statusCode()).isEqualTo(201);
        assertThat(deep.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(get(https("mta-sts.example.test/feature/deep/none")).statusCode()).isEqualTo(404);
        assertThat(get(https("mta-sts.example.test/other")).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> server.addRoute("feature", (p, s) -> java.util.Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
