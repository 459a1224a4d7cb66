package dev.sealpost.auth.bimi;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sealpost.auth.dmarc.AuthIdentity;
import dev.sealpost.auth.dmarc.DmarcOutcome;
import dev.sealpost.auth.dmarc.DmarcRecord;
import dev.sealpost.auth.dmarc.DmarcResult;
import dev.sealpost.auth.results.AuthenticationResults;
import dev.sealpost.core.net.dial.Dialer;
import dev.sealpost.dns.DnsHostResolver;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.ZoneResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The evaluator end to end: a {@link ZoneResolver} for DNS, a local {@link HttpsServer} on 127.0.0.1
 * (certificate for {@code bimi.brand.invalid} from a test CA) serving Indicators and mark
 * certificates, a real {@link HttpsBimiFetcher} whose {@code Dialer} resolves through a
 * {@link ZoneResolver} too: {@code bimi.brand.invalid} exists nowhere else (RFC 6761 §6.4), so
 * every fetch that succeeds went through the configured resolver, not the JVM's (issue 11).
 */
class BimiEvaluatorTest {
    static final byte[] LOGO = SvgTinyPsTest.VALID.getBytes(StandardCharsets.UTF_8);
    static final byte[] OTHER_LOGO = SvgTinyPsTest.VALID.replace("Example Brand", "Other Brand").getBytes(StandardCharsets.UTF_8);

    static HttpsServer server;
    static BimiTestCerts.Issued webCa;
    static BimiTestCerts.Issued markRoot;
    static BimiTestCerts.Issued markIssuing;
    static HttpsBimiFetcher fetcher;
    static final Map<String, byte[]> files = new ConcurrentHashMap<>();
    static final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    static final List<String> requested = new CopyOnWriteArrayList<>();
    static final String WEB_HOST = "bimi.brand.invalid";
    /** The resolver the fetcher's dialer asks: the Indicator host, and one whose certificate does not match. */
    static final ZoneResolver WEB_ZONE = ZoneResolver.builder().a(WEB_HOST, "127.0.0.1").a("wrongcert.brand.invalid", "127.0.0.1").build();
    static final List<String> lookedUp = new CopyOnWriteArrayList<>();
    static final Dialer DIALER = new Dialer(h -> {
        lookedUp.add(h);
        return new DnsHostResolver(WEB_ZONE).lookup(h);
    }, Duration.ofSeconds(5));

    @BeforeAll
    static void start() throws IOException {
        webCa = BimiTestCerts.ca("Web CA");
        markRoot = BimiTestCerts.ca("Mark Root");
        markIssuing = BimiTestCerts.intermediate(markRoot, "Mark Issuing CA");
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(BimiTestCerts.tlsServer(webCa, WEB_HOST).serverContext()));
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requested.add(path);
            byte[] body = files.get(path);
            int status = statuses.getOrDefault(path, body == null ? 404 : 200);
            if (status == 302) ex.getResponseHeaders().set("Location", "http://localhost/logo.svg");
            if (body == null) body = new byte[0];
            ex.getResponseHeaders().set("Content-Type", path.endsWith(".pem") ? "application/x-pem-file" : "image/svg+xml");
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        fetcher = new HttpsBimiFetcher(DIALER, HttpsBimiFetcher.Settings.defaults().withSslContext(BimiTestCerts.clientTrusting(webCa.cert()))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() {
        fetcher.close();
        server.stop(0);
    }

    @BeforeEach
    void reset() {
        files.clear();
        statuses.clear();
        requested.clear();
    }

    static String url(String path) {
        return "https://" + WEB_HOST + ":" + server.getAddress().getPort() + path;
    }

    static DmarcRecord dmarc(String txt) {
        return ((DmarcRecord.Valid) DmarcRecord.parse(txt)).record();
    }

    /** A DMARC pass for {@code from}, the record found at {@code policyDomain}. */
    static DmarcOutcome pass(String from, String org, String policyDomain, String record) {
        return new DmarcOutcome(DmarcResult.PASS, from, org, policyDomain, dmarc(record), null, DmarcRecord.Policy.NONE, false,
                false, true, List.of(AuthIdentity.dkim(from, true)), false, "aligned dkim", BimiTestCerts.NOW);
    }

    static BimiEvaluator evaluator(ZoneResolver zone, BimiEvaluator.Settings settings) {
        return new BimiEvaluator(zone, PublicSuffixList.bundled(), fetcher, Clock.fixed(BimiTestCerts.NOW, ZoneOffset.UTC), settings);
    }

    static BimiEvaluator evaluator(ZoneResolver zone) {
        return evaluator(zone, BimiEvaluator.Settings.defaults());
    }

    static ZoneResolver zone(String name, String txt) {
        return ZoneResolver.builder().txt(name, txt).build();
    }

    @Test
    void selfAssertedPass() {
        files.put("/logo.svg", LOGO);
        ZoneResolver z = zone("default._bimi.example.com", "v=BIMI1; l=" + url("/logo.svg") + "; a=;");
        BimiOutcome o = evaluator(z).evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject"), null);
        assertThat(o.result()).as(o.reason()).isEqualTo(BimiResult.PASS);
        assertThat(o.domain()).isEqualTo("example.com");
        assertThat(o.selector()).isEqualTo("default");
        assertThat(o.location()).isEqualTo(URI.create(url("/logo.svg")));
        assertThat(o.authority()).isEqualTo(BimiOutcome.Authority.NONE);
        assertThat(Base64.getDecoder().decode(o.indicatorBase64())).isEqualTo(LOGO);
        List<String> headers = o.headerFields();
        assertThat(headers).hasSize(2);
        assertThat(headers.get(0)).isEqualTo("BIMI-Location: v=BIMI1;\r\n l=" + url("/logo.svg") + "\r\n");
        assertThat(headers.get(1)).startsWith("BIMI-Indicator: ").endsWith("\r\n");
        for (String line : headers.get(1).split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(78);
        String b64 = headers.get(1).substring("BIMI-Indicator:".length()).replaceAll("\\s", "");
        assertThat(Base64.getDecoder().decode(b64)).isEqualTo(LOGO);
        AuthenticationResults ar = AuthenticationResults.builder("mx.test").add(o.toMethodResult()).build();
        assertThat(ar.value()).contains("bimi=pass header.d=example.com header.selector=default");
    }

    @Test
    void selectorAndOrganizationalDomainFallback() {
        files.put("/brand.svg", LOGO);
        // §8.2 step 5: nothing at spring._bimi.news.example.com, so spring._bimi.example.com
        ZoneResolver z = ZoneResolver.builder()
                .txt("spring._bimi.news.example.com", "v=spf1 -all") // discarded (§8.2 step 4)
                .txt("spring._bimi.example.com", "v=BIMI1; l=" + url("/brand.svg"))
                .build();
        BimiOutcome o = evaluator(z).evaluate(pass("news.example.com", "example.com", "example.com", "v=DMARC1; p=quarantine"), "spring");
        assertThat(o.result()).as(o.reason()).isEqualTo(BimiResult.PASS);
        assertThat(o.domain()).isEqualTo("example.com");
        assertThat(o.selector()).isEqualTo("spring");
    }

    @Test
    void noRecordDeclinedMultipleAndTemperror() {
        var e = evaluator(ZoneResolver.builder().build());
        DmarcOutcome ok = pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject");
        assertThat(e.evaluate(ok, null).result()).isEqualTo(BimiResult.NONE);
        assertThat(evaluator(zone("default._bimi.example.com", "v=BIMI1; l=; a=;")).evaluate(ok, null).result()).isEqualTo(BimiResult.DECLINED);
        ZoneResolver two = ZoneResolver.builder().txt("default._bimi.example.com", "v=BIMI1; l=" + url("/a.svg"))
                .txt("default._bimi.example.com", "v=BIMI1; l=" + url("/b.svg")).build();
        assertThat(evaluator(two).evaluate(ok, null).result()).isEqualTo(BimiResult.FAIL);
        assertThat(evaluator(ZoneResolver.builder().servfail("default._bimi.example.com").build()).evaluate(ok, null).result())
                .isEqualTo(BimiResult.TEMPERROR);
        assertThat(evaluator(zone("default._bimi.example.com", "v=BIMI1; l=http://x.example/l.svg")).evaluate(ok, null))
                .satisfies(o -> assertThat(o.result()).isEqualTo(BimiResult.FAIL))
                .satisfies(o -> assertThat(o.headerFields()).isEmpty());
        assertThat(requested).isEmpty();
    }

    @ParameterizedTest(name = "{0} at {2}")
    @CsvSource(delimiter = '|', textBlock = """
            v=DMARC1; p=none                        | example.com      | example.com | pass
            v=DMARC1; p=quarantine; pct=50          | example.com      | example.com | pass
            v=DMARC1; p=reject; sp=none             | example.com      | example.com | pass
            v=DMARC1; p=reject; sp=none             | news.example.com | example.com | pass
            v=DMARC1; p=none; sp=reject             | news.example.com | example.com | pass
            v=DMARC1; p=reject                      | example.com      | example.com | fail
            v=DMARC1; p=reject                      | example.com      | example.com | none
            """)
    void dmarcGateSkips(String record, String from, String policyDomain, String dmarcResult) {
        files.put("/logo.svg", LOGO);
        ZoneResolver z = ZoneResolver.builder().txt("default._bimi.example.com", "v=BIMI1; l=" + url("/logo.svg")).build();
        DmarcOutcome base = pass(from, "example.com", policyDomain, record);
        DmarcOutcome dm = switch (dmarcResult) {
            case "fail" -> new DmarcOutcome(DmarcResult.FAIL, from, "example.com", policyDomain, base.record(), DmarcRecord.Policy.REJECT,
                    DmarcRecord.Policy.REJECT, false, false, false, List.of(), false, "not aligned", BimiTestCerts.NOW);
            case "none" -> new DmarcOutcome(DmarcResult.NONE, from, "example.com", null, null, null, DmarcRecord.Policy.NONE, false,
                    false, false, List.of(), false, "no record", BimiTestCerts.NOW);
            default -> base;
        };
        BimiOutcome o = evaluator(z).evaluate(dm, null);
        assertThat(o.result()).as(o.reason()).isEqualTo(BimiResult.SKIPPED);
        assertThat(o.headerFields()).isEmpty();
        assertThat(o.indicatorBase64()).isNull();
        assertThat(requested).as("no fetch before the gate").isEmpty();
    }

    @Test
    void dmarcGatePasses() {
        files.put("/logo.svg", LOGO);
        ZoneResolver z = ZoneResolver.builder().txt("default._bimi.example.com", "v=BIMI1; l=" + url("/logo.svg"))
                .txt("_dmarc.example.com", "v=DMARC1; p=quarantine").build();
        // a reject with pct<100 still enforces (the rest is quarantined, RFC 7489 §6.6.4); §8.1 step 9 only constrains quarantine
        assertThat(evaluator(z).evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject; pct=10"), null).result())
                .isEqualTo(BimiResult.PASS);
        // the Author Domain has its own record: the Organizational Domain's (p=quarantine, looked up) enforces too
        assertThat(evaluator(z).evaluate(pass("news.example.com", "example.com", "news.example.com", "v=DMARC1; p=reject"), null).result())
                .isEqualTo(BimiResult.PASS);
        // ... and when the Organizational Domain's is p=none, no BIMI
        ZoneResolver weakOrg = ZoneResolver.builder().txt("default._bimi.example.com", "v=BIMI1; l=" + url("/logo.svg"))
                .txt("_dmarc.example.com", "v=DMARC1; p=none").build();
        assertThat(evaluator(weakOrg).evaluate(pass("news.example.com", "example.com", "news.example.com", "v=DMARC1; p=reject"), null).result())
                .isEqualTo(BimiResult.SKIPPED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            script          | indicator is not SVG Tiny PS: script element
            external        | indicator is not SVG Tiny PS: external reference
            noprofile       | indicator is not SVG Tiny PS: root svg has no baseProfile
            big             | indicator not fetched: larger than
            xxe             | indicator is not SVG Tiny PS
            missing         | indicator not fetched: HTTP status 404
            redirect        | indicator not fetched: redirect (HTTP 302) not followed
            """)
    void badIndicatorsFail(String kind, String reason) {
        String open = SvgTinyPsTest.OPEN;
        String body = switch (kind) {
            case "script" -> open + "<title>t</title><script>alert(1)</script></svg>";
            case "external" -> open + "<title>t</title><use xlink:href=\"" + url("/other.svg") + "#a\"/></svg>";
            case "noprofile" -> "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\"><title>t</title></svg>";
            case "big" -> open + "<title>t</title><!--" + "x".repeat(40_000) + "--></svg>";
            case "xxe" -> "<!DOCTYPE svg [<!ENTITY x SYSTEM \"" + url("/secret") + "\">]>" + open + "<title>&x;</title></svg>";
            default -> null;
        };
        if (body != null) files.put("/logo.svg", body.getBytes(StandardCharsets.UTF_8));
        if (kind.equals("redirect")) statuses.put("/logo.svg", 302);
        files.put("/secret", "secret".getBytes(StandardCharsets.US_ASCII));
        files.put("/other.svg", LOGO);
        ZoneResolver z = zone("default._bimi.example.com", "v=BIMI1; l=" + url("/logo.svg"));
        BimiOutcome o = evaluator(z).evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject"), null);
        assertThat(o.result()).isEqualTo(BimiResult.FAIL);
        assertThat(o.reason()).contains(reason);
        assertThat(o.headerFields()).isEmpty();
        assertThat(requested).as("only the indicator itself is fetched").containsExactly("/logo.svg");
    }

    @Test
    void untrustedServerCertificateFails() {
        files.put("/logo.svg", LOGO);
        try (HttpsBimiFetcher strict = new HttpsBimiFetcher(DIALER, HttpsBimiFetcher.Settings.defaults()
                .withSslContext(BimiTestCerts.clientTrusting(BimiTestCerts.ca("Someone Else").cert())))) {
            var e = new BimiEvaluator(zone("default._bimi.example.com", "v=BIMI1; l=" + url("/logo.svg")), PublicSuffixList.bundled(),
                    strict, Clock.systemUTC(), BimiEvaluator.Settings.defaults());
            BimiOutcome o = e.evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject"), null);
            assertThat(o.result()).isEqualTo(BimiResult.FAIL);
            assertThat(o.reason()).contains("certificate");
        }
        assertThat(fetcher.fetch(URI.create("http://localhost/logo.svg"), 100)).isInstanceOf(BimiFetcher.Failed.class);
    }

    @Test
    void indicatorAndEvidenceHostsAreResolvedThroughTheConfiguredResolverOnly() {
        files.put("/logo.svg", LOGO);
        files.put("/vmc.pem", "not fetched for its content here".getBytes(StandardCharsets.US_ASCII));
        lookedUp.clear();
        assertThat(fetcher.fetch(URI.create(url("/logo.svg")), 32 * 1024)).isInstanceOfSatisfying(BimiFetcher.Fetched.class,
                f -> assertThat(f.body()).isEqualTo(LOGO));
        assertThat(fetcher.fetch(URI.create(url("/vmc.pem")), 64 * 1024)).isInstanceOf(BimiFetcher.Fetched.class);
        assertThat(lookedUp).containsExactly(WEB_HOST, WEB_HOST);
        // a name the configured resolver does not have is not found, whatever the system resolver knows
        assertThat(fetcher.fetch(URI.create("https://localhost:" + server.getAddress().getPort() + "/logo.svg"), 100))
                .isInstanceOfSatisfying(BimiFetcher.Failed.class, f -> assertThat(f.reason()).contains("NAME_NOT_FOUND"));
    }

    @Test
    void aHostWhoseCertificateNamesAnotherHostFails() {
        files.put("/logo.svg", LOGO);
        // the configured resolver sends wrongcert.brand.invalid to our server, whose certificate names only bimi.brand.invalid
        String wrong = "https://wrongcert.brand.invalid:" + server.getAddress().getPort() + "/logo.svg";
        assertThat(fetcher.fetch(URI.create(wrong), 32 * 1024)).isInstanceOfSatisfying(BimiFetcher.Failed.class,
                f -> assertThat(f.reason()).contains("certificate"));
        ZoneResolver z = zone("default._bimi.example.com", "v=BIMI1; l=" + wrong);
        BimiOutcome o = evaluator(z).evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject"), null);
        assertThat(o.result()).isEqualTo(BimiResult.FAIL);
        assertThat(o.reason()).contains("certificate");
    }

    // ------------------------------------------------------------------ evidence (VMC/CMC)

    static BimiEvaluator.Settings withMarks() {
        return BimiEvaluator.Settings.defaults().withMarkRoots(List.of(markRoot.cert()), false);
    }

    static ZoneResolver markZone() {
        return zone("default._bimi.example.com", "v=BIMI1; l=" + url("/logo.svg") + "; a=" + url("/vmc.pem"));
    }

    static BimiOutcome evaluateMark(BimiTestCerts.Mark mark, BimiEvaluator.Settings settings) {
        files.put("/logo.svg", LOGO);
        files.put("/vmc.pem", BimiTestCerts.mark(markIssuing, mark).pem().getBytes(StandardCharsets.US_ASCII));
        return evaluator(markZone(), settings).evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject"), null);
    }

    @Test
    void verifiedMarkPass() {
        BimiOutcome o = evaluateMark(BimiTestCerts.Mark.of(List.of("example.com"), LOGO), withMarks());
        assertThat(o.result()).as(o.reason()).isEqualTo(BimiResult.PASS);
        assertThat(o.authority()).isEqualTo(BimiOutcome.Authority.PASS);
        assertThat(o.headerFields().getFirst()).isEqualTo("BIMI-Location: v=BIMI1;\r\n l=" + url("/logo.svg") + ";\r\n a=" + url("/vmc.pem") + "\r\n");
        assertThat(AuthenticationResults.builder("mx.test").add(o.toMethodResult()).build().value())
                .contains("policy.authority=pass").contains("policy.authority-uri=");
        // selector-specific SAN, and an uncompressed logotype, pass too
        assertThat(evaluateMark(BimiTestCerts.Mark.of(List.of("default._bimi.example.com"), LOGO).plain(), withMarks()).result())
                .isEqualTo(BimiResult.PASS);
    }

    @Test
    void indicatorFromEvidenceOnly() {
        files.put("/vmc.pem", BimiTestCerts.mark(markIssuing, BimiTestCerts.Mark.of(List.of("example.com"), LOGO)).pem()
                .getBytes(StandardCharsets.US_ASCII));
        ZoneResolver z = zone("default._bimi.example.com", "v=BIMI1; l=; a=" + url("/vmc.pem"));
        BimiOutcome o = evaluator(z, withMarks()).evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject"), null);
        assertThat(o.result()).as(o.reason()).isEqualTo(BimiResult.PASS);
        assertThat(o.location()).isEqualTo(URI.create(url("/vmc.pem"))); // §8.9
        assertThat(Base64.getDecoder().decode(o.indicatorBase64())).isEqualTo(LOGO);
        // without mark roots the evidence is not read, and there is nothing to show
        assertThat(evaluator(z).evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject"), null).result())
                .isEqualTo(BimiResult.FAIL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong-san     | subjectAltName names neither
            no-eku        | extended key usage
            bad-hash      | logotype hash
            other-logo    | differs from the one in the mark certificate
            no-logotype   | no logotype extension
            untrusted     | chain not valid
            """)
    void invalidMarksFail(String kind, String reason) {
        BimiTestCerts.Mark m = BimiTestCerts.Mark.of(List.of("example.com"), LOGO);
        m = switch (kind) {
            case "wrong-san" -> BimiTestCerts.Mark.of(List.of("other.example"), LOGO);
            case "no-eku" -> m.withEku(false);
            case "bad-hash" -> m.withHash(new byte[32]);
            case "other-logo" -> BimiTestCerts.Mark.of(List.of("example.com"), OTHER_LOGO);
            case "no-logotype" -> m.withoutLogotype();
            default -> m;
        };
        BimiEvaluator.Settings s = kind.equals("untrusted")
                ? BimiEvaluator.Settings.defaults().withMarkRoots(List.of(BimiTestCerts.ca("Other Root").cert()), false) : withMarks();
        BimiOutcome o = evaluateMark(m, s);
        assertThat(o.result()).isEqualTo(BimiResult.FAIL);
        assertThat(o.authority()).isEqualTo(BimiOutcome.Authority.FAIL);
        assertThat(o.reason()).contains(reason);
        assertThat(o.headerFields()).isEmpty();
    }

    @Test
    void requiredEvidence() {
        files.put("/logo.svg", LOGO);
        ZoneResolver z = zone("default._bimi.example.com", "v=BIMI1; l=" + url("/logo.svg"));
        BimiOutcome o = evaluator(z, BimiEvaluator.Settings.defaults().withMarkRoots(List.of(markRoot.cert()), true))
                .evaluate(pass("example.com", "example.com", "example.com", "v=DMARC1; p=reject"), null);
        assertThat(o.result()).isEqualTo(BimiResult.FAIL);
        assertThat(o.reason()).contains("required");
    }

    @Test
    void incomingBimiHeadersAreRemoved() {
        assertThat(BimiHeaders.mustRemove("BIMI-Location")).isTrue();
        assertThat(BimiHeaders.mustRemove("bimi-indicator")).isTrue();
        assertThat(BimiHeaders.mustRemove("BIMI-Selector")).isFalse();
        assertThat(BimiHeaders.REMOVE_FROM_INCOMING).containsExactly("BIMI-Location", "BIMI-Indicator");
    }
}
