package dev.sealpost.web;

import dev.sealpost.testkit.Peers;
import dev.sealpost.testkit.TestCerts;
import dev.sealpost.tlspolicy.TrustStores;
import dev.sealpost.tlspolicy.mtasts.HttpMtaStsFetcher;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher;
import dev.sealpost.tlspolicy.mtasts.MtaStsPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The hosted policy as real senders fetch it: our own MTA-STS fetcher (tlspolicy) and curl, both
 * checking the certificate for {@code mta-sts.example.test} against a test CA.
 */
class MtaStsHostingTest {
    @TempDir
    static Path dir;
    static TestCerts.Issued ca;
    static WebServer server;
    static Path caPem;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCerts.ca("Sealpost MTA-STS Test CA");
        TestCerts.Issued leaf = TestCerts.leaf(ca, "mta-sts.example.test", List.of("mta-sts.example.test", "mta-sts.other.test"));
        caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, ca.pem());
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        server = new WebServer(WebServerConfig.defaults("mx.example.test").withHttp(any).withHttps(any, dev.sealpost.core.tls.ServerTls.of(leaf.serverContext()))
                .withMtaSts(WebServerConfig.MtaStsMode.ENFORCE, List.of("mx.example.test", "*.mx.example.test"), 1_209_600),
                d -> d.equals("example.test"));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static HttpMtaStsFetcher fetcher(boolean trustTestCa) throws IOException {
        var tm = trustTestCa ? TrustStores.trustManager(TrustStores.readCertificates(caPem), false) : TrustStores.defaultTrustManager();
        int port = server.httpsPort();
        // the RFC's URL with our ephemeral port: the certificate is checked for mta-sts.<domain>
        // mta-sts.<domain> resolved through a configured resolver, as the server does (ADR 0006): these names exist only there
        var zone = dev.sealpost.dns.ZoneResolver.builder().a("mta-sts.example.test", "127.0.0.1").a("mta-sts.other.test", "127.0.0.1").build();
        var dialer = new dev.sealpost.core.net.dial.Dialer(new dev.sealpost.dns.DnsHostResolver(zone), Duration.ofSeconds(5));
        return new HttpMtaStsFetcher(dialer, HttpMtaStsFetcher.Settings.defaults().withSslContext(TrustStores.clientContext(tm))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withPolicyUri(d -> URI.create(MtaStsFetcher.policyUrl(d).replace(d + "/", d + ":" + port + "/"))));
    }

    @Test
    void ourFetcherReadsTheHostedPolicy() throws IOException {
        try (HttpMtaStsFetcher f = fetcher(true)) {
            MtaStsFetcher.FetchResult r = f.fetch("example.test");
            assertThat(r).isInstanceOf(MtaStsFetcher.Fetched.class);
            MtaStsPolicy p = ((MtaStsFetcher.Fetched) r).policy();
            assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
            assertThat(p.mx()).containsExactly("mx.example.test", "*.mx.example.test");
            assertThat(p.maxAgeSeconds()).isEqualTo(1_209_600);
            assertThat(p.mxMatches("mx.example.test")).isTrue();
            assertThat(p.mxMatches("a.mx.example.test")).isTrue();
            assertThat(p.mxMatches("evil.test")).isFalse();
            // and what it parsed is what we serve
            assertThat(MtaStsPolicy.parse(server.policyText())).isEqualTo(new MtaStsPolicy.Valid(p));
        }
    }

    @Test
    void ourFetcherFindsNoPolicyForAForeignDomainOrWithoutTrust() throws IOException {
        try (HttpMtaStsFetcher f = fetcher(true)) {
            assertThat(f.fetch("other.test")).isInstanceOfSatisfying(MtaStsFetcher.Failed.class,
                    x -> assertThat(x.reason()).contains("404"));
        }
        try (HttpMtaStsFetcher f = fetcher(false)) {
            assertThat(f.fetch("example.test")).isInstanceOfSatisfying(MtaStsFetcher.Failed.class,
                    x -> assertThat(x.kind()).isEqualTo(MtaStsFetcher.Kind.WEBPKI_INVALID));
        }
    }

    static String curl(String... args) throws Exception {
        Peers.require("curl");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--noproxy", "*"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "curl", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("curl did not finish: " + Files.readString(out));
        }
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void curlFetchesThePolicyWithAVerifiedCertificate() throws Exception {
        int port = server.httpsPort();
        String url = "https://mta-sts.example.test:" + port + "/.well-known/mta-sts.txt";
        String body = curl("--resolve", "mta-sts.example.test:" + port + ":127.0.0.1", "--cacert", caPem.toString(), url);
        assertThat(body).isEqualTo(server.policyText());
        String headers = curl("--resolve", "mta-sts.example.test:" + port + ":127.0.0.1", "--cacert", caPem.toString(),
                "-o", "/dev/null", "-D", "-", url);
        assertThat(headers).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/plain\r\n")
                .containsIgnoringCase("x-content-type-options: nosniff\r\n");
    }

    @Test
    void curlGets404OverPlainHttpAndForeignHosts() throws Exception {
        int http = server.httpPort();
        String status = curl("--resolve", "mta-sts.example.test:" + http + ":127.0.0.1", "-o", "/dev/null", "-w", "%{http_code}",
                "http://mta-sts.example.test:" + http + "/.well-known/mta-sts.txt");
        assertThat(status).isEqualTo("404");
        int https = server.httpsPort();
        String foreign = curl("--resolve", "mta-sts.other.test:" + https + ":127.0.0.1", "--cacert", caPem.toString(),
                "-o", "/dev/null", "-w", "%{http_code}", "https://mta-sts.other.test:" + https + "/.well-known/mta-sts.txt");
        assertThat(foreign).isEqualTo("404");
    }
}
