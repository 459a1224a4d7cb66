package dev.sealpost.queue;

import dev.sealpost.testkit.MutableClock;
import dev.sealpost.testkit.TestCerts;
import dev.sealpost.testkit.TestDnsServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sealpost.core.net.dial.Dialer;
import dev.sealpost.dns.DnsHostResolver;
import dev.sealpost.dns.DnsJavaResolver;
import dev.sealpost.dns.DnsSettings;
import dev.sealpost.smtp.client.ClientSettings;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.OutboundQueue.Delivery;
import dev.sealpost.store.OutboundQueue.State;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.tlspolicy.TrustStores;
import dev.sealpost.tlspolicy.dane.DanePolicy;
import dev.sealpost.tlspolicy.dane.TlsaMatcher;
import dev.sealpost.tlspolicy.mtasts.HttpMtaStsFetcher;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher;
import dev.sealpost.tlspolicy.mtasts.MtaStsCache;
import dev.sealpost.tlspolicy.mtasts.MtaStsResolver;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReportMail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound transport security end to end: a DNSSEC-signed zone served by an in-process DNS server
 * to our validating resolver, a fake remote MX (our SMTP server with a test certificate) on an
 * ephemeral port, an in-process HTTPS server for MTA-STS policies, and {@link SecureTlsPolicy} in
 * the real {@link OutboundDelivery}.
 *
 * <p>Domains in the signed zone {@code secure.test}: {@code secure.test} (MX {@code mx.secure.test},
 * TLSA per test), {@code sts.secure.test} (MX {@code mx.sts.secure.test}, an MTA-STS record, no TLSA;
 * its policy host {@code mta-sts.sts.secure.test} exists only in this zone, so a policy is found only
 * when the fetch resolves through the configured resolver, issue 11),
 * {@code plain.secure.test} (no TLSA, no MTA-STS). Every MX address is 127.0.0.1 and the queue's
 * mx_port is the fake MX's port.
 */
class TransportSecurityTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String SENDER = "alice@local.test";

    static TestCerts.Issued ca;
    static HttpsServer https;
    static volatile String stsPolicy;

    @TempDir
    Path dir;
    MutableClock clock;
    Store store;
    FakeMx mx;
    TestDnsServer dns;
    TlsRptCollector collector;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startHttps() throws IOException {
        ca = TestCerts.ca("Sealpost Queue Test CA");
        // the policy host of sts.secure.test: its name exists only in the test DNS server (issue 11)
        TestCerts.Issued web = TestCerts.leaf(ca, "mta-sts.sts.secure.test", List.of("mta-sts.sts.secure.test"));
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(web.serverContext()));
        https.createContext("/", TransportSecurityTest::servePolicy);
        https.start();
    }

    @AfterAll
    static void stopHttps() {
        https.stop(0);
    }

    static void servePolicy(HttpExchange ex) throws IOException {
        String p = stsPolicy;
        byte[] body = (p == null ? "not found" : p).getBytes(StandardCharsets.US_ASCII);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(p == null ? 404 : 200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(T0);
        store = Store.open(new StoreConfig(dir, null, null, null, clock));
        collector = new TlsRptCollector(clock);
        stsPolicy = null;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) c.close();
        if (mx != null) mx.close();
        if (dns != null) dns.close();
        store.close();
    }

    // ------------------------------------------------------------------ fixtures

    /** Starts the fake MX: with STARTTLS presenting {@code cert}, or without STARTTLS when null. */
    void startMx(TestCerts.Issued cert) throws IOException {
        mx = FakeMx.mx(cert == null ? null : cert.serverContext());
    }

    /** Serves and signs the zone; {@code tlsa} is the association for {@code _<port>._tcp.mx.secure.test}, or null. */
    DnsJavaResolver startDns(String tlsa, boolean bogusTlsa) throws Exception {
        dns = TestDnsServer.start("secure.test");
        String zone = """
                @          IN MX   10 mx
                mx         IN A    127.0.0.1
                sts        IN MX   10 mx.sts
                mx.sts     IN A    127.0.0.1
                _mta-sts.sts IN TXT "v=STSv1; id=20260301"
                mta-sts.sts IN A   127.0.0.1
                plain      IN MX   10 mx.plain
                mx.plain   IN A    127.0.0.1
                _smtp._tls IN TXT  "v=TLSRPTv1; rua=mailto:tlsrpt@secure.test"
                """;
        if (tlsa != null) zone += "_" + mx.port() + "._tcp.mx IN TLSA " + tlsa + "\n";
        dns.zone(zone);
        var ds = dns.sign();
        if (bogusTlsa) dns.corruptSignature("_" + mx.port() + "._tcp.mx", Type.TLSA);
        Path anchors = Files.writeString(dir.resolve("anchors.txt"), ds + "\n");
        return new DnsJavaResolver(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(3), 1, true, anchors, 100));
    }

    /** DANE-EE(3) SPKI(1) SHA-256(1) for a certificate. */
    static String daneEe(TestCerts.Issued cert) {
        return "3 1 1 " + HexFormat.of().formatHex(TlsaMatcher.associationData(cert.cert(), DanePolicy.SELECTOR_SPKI, DanePolicy.MATCH_SHA256));
    }

    QueueSettings settings() throws Exception {
        return QueueSettings.defaults("out.test").withMxPort(mx.port())
                .withClient(ClientSettings.defaults().withTimeouts(ClientSettings.Timeouts.uniform(Duration.ofSeconds(10)))
                        // the PKIX anchors of the SMTP client: our test CA only (as --tls-ca would add it)
                        .withPkixTrust(TrustStores.trustManager(List.of(ca.cert()), false)));
    }

    OutboundDelivery queue(DnsJavaResolver resolver) throws Exception {
        // the RFC's URL with the test server's port: mta-sts.<domain> is resolved by the dialer on the
        // configured resolver (the test DNS server), as the server wires it (ADR 0006)
        int port = https.getAddress().getPort();
        HttpMtaStsFetcher fetcher = new HttpMtaStsFetcher(new Dialer(new DnsHostResolver(resolver), Duration.ofSeconds(5)),
                HttpMtaStsFetcher.Settings.defaults()
                        .withSslContext(TrustStores.clientContext(TrustStores.trustManager(List.of(ca.cert()), false)))
                        .withPolicyUri(d -> URI.create(MtaStsFetcher.policyUrl(d).replace(d + "/", d + ":" + port + "/"))));
        closeables.add(fetcher);
        MtaStsResolver sts = new MtaStsResolver(resolver, fetcher, clock, MtaStsCache.inMemory(10));
        QueueSettings s = settings();
        SecureTlsPolicy policy = new SecureTlsPolicy(resolver, sts, collector, new SecureTlsPolicy.Settings(true, s.mxPort()), Clock.systemUTC());
        OutboundDelivery q = new OutboundDelivery(store, resolver, s, policy, OutboundSigner.NONE, clock, new Random(7), null);
        closeables.add(q);
        return q;
    }

    long spool(boolean requireTls, String... to) throws IOException {
        String content = "From: <" + SENDER + ">\r\nSubject: secret\r\nMessage-ID: <m" + System.nanoTime() + "@local.test>\r\n\r\nThe secret text.\r\n";
        BlobRef blob = store.blobs().put(content.getBytes(StandardCharsets.UTF_8));
        List<Spool.Recipient> rcpts = java.util.Arrays.stream(to).map(a -> new Spool.Recipient(a, null, null)).toList();
        long id = store.spool().enqueue(new Spool.Envelope(SENDER, rcpts, "192.0.2.1", "client.test", null, "s1", requireTls, false,
                null, null, null, clock.instant()), blob);
        toRemote(id);
        return id;
    }

    /** What local delivery does for remote addresses: hands the recipients to the outbound queue. */
    void toRemote(long id) {
        store.spool().complete(id, store.spool().get(id).orElseThrow().recipients().stream()
                .map(r -> (Spool.Disposition) new Spool.Remote(r.id(), List.of(r.address()))).toList());
    }

    Delivery delivery(long id) {
        return store.outbound().show(id).map(OutboundQueue.Entry::deliveries).orElse(List.of()).getFirst();
    }

    TlsRptReport.PolicyResult onlyPolicy(String domain) {
        List<TlsRptReport> reports = collector.reports(LocalDate.of(2026, 3, 1), "Sealpost", "postmaster@out.test");
        TlsRptReport r = reports.stream().filter(x -> x.policies().getFirst().policy().policyDomain().equals(domain)).findFirst().orElseThrow();
        assertThat(r.policies()).hasSize(1);
        return r.policies().getFirst();
    }

    // ------------------------------------------------------------------ DANE

    @Test
    void daneEeMatchDeliversOverTlsWithAnUntrustedSelfSignedCertificate() throws Exception {
        TestCerts.Issued cert = TestCerts.selfSigned("mx.secure.test", List.of("mx.secure.test"));
        startMx(cert);
        OutboundDelivery q = queue(startDns(daneEe(cert), false));
        spool(false, "bob@secure.test");
        q.runOnce();
        assertThat(mx.received).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
        TlsRptReport.PolicyResult p = onlyPolicy("secure.test");
        assertThat(p.policy().policyType()).isEqualTo("tlsa");
        assertThat(p.policy().policyString()).containsExactly(daneEe(cert));
        assertThat(p.policy().mxHost()).containsExactly("mx.secure.test");
        assertThat(p.totalSuccessfulSessionCount()).isEqualTo(1);
        assertThat(p.totalFailureSessionCount()).isZero();
    }

    @Test
    void daneMismatchDefersAndNeverSendsInClear() throws Exception {
        TestCerts.Issued cert = TestCerts.selfSigned("mx.secure.test", List.of("mx.secure.test"));
        TestCerts.Issued other = TestCerts.selfSigned("mx.secure.test", List.of("mx.secure.test"));
        startMx(cert);
        OutboundDelivery q = queue(startDns(daneEe(other), false));
        long id = spool(false, "bob@secure.test");
        q.runOnce();
        assertThat(mx.received).isEmpty();
        assertThat(mx.connections.get()).as("one attempt, no cleartext retry").isEqualTo(1);
        Delivery d = delivery(id);
        assertThat(d.state()).isEqualTo(State.PENDING);
        assertThat(d.lastReply()).startsWith("454 4.7.5").contains("TLS required by policy");
        TlsRptReport.PolicyResult p = onlyPolicy("secure.test");
        assertThat(p.totalFailureSessionCount()).isEqualTo(1);
        assertThat(p.failureDetails()).singleElement().satisfies(f -> {
            assertThat(f.resultType()).isEqualTo("validation-failure");
            assertThat(f.receivingMxHostname()).isEqualTo("mx.secure.test");
        });
    }

    @Test
    void bogusTlsaSignatureDefersWithoutConnecting() throws Exception {
        TestCerts.Issued cert = TestCerts.selfSigned("mx.secure.test", List.of("mx.secure.test"));
        startMx(cert);
        OutboundDelivery q = queue(startDns(daneEe(cert), true));
        long id = spool(false, "bob@secure.test");
        q.runOnce();
        assertThat(mx.connections.get()).isZero();
        Delivery d = delivery(id);
        assertThat(d.state()).isEqualTo(State.PENDING);
        assertThat(d.lastReply()).startsWith("451 4.7.5").contains("DANE").contains("SERVFAIL");
        assertThat(onlyPolicy("secure.test").failureDetails()).singleElement()
                .satisfies(f -> assertThat(f.resultType()).isEqualTo("dnssec-invalid"));
    }

    @Test
    void starttlsStrippedWithDaneDefers() throws Exception {
        startMx(null); // the peer (or an attacker in the path) does not offer STARTTLS
        TestCerts.Issued cert = TestCerts.selfSigned("mx.secure.test", List.of("mx.secure.test"));
        OutboundDelivery q = queue(startDns(daneEe(cert), false));
        long id = spool(false, "bob@secure.test");
        q.runOnce();
        assertThat(mx.received).isEmpty();
        assertThat(delivery(id).lastReply()).startsWith("454 4.7.5").contains("STARTTLS not offered");
        assertThat(onlyPolicy("secure.test").failureDetails()).singleElement()
                .satisfies(f -> assertThat(f.resultType()).isEqualTo("starttls-not-supported"));
    }

    @Test
    void starttlsStrippedWithoutPolicyDeliversInClear() throws Exception {
        startMx(null);
        OutboundDelivery q = queue(startDns(null, false));
        spool(false, "bob@plain.secure.test");
        q.runOnce();
        assertThat(mx.received).singleElement().satisfies(r -> assertThat(r.tls()).isFalse());
        TlsRptReport.PolicyResult p = onlyPolicy("plain.secure.test");
        assertThat(p.policy().policyType()).isEqualTo("no-policy-found");
        assertThat(p.failureDetails()).singleElement().satisfies(f -> assertThat(f.resultType()).isEqualTo("starttls-not-supported"));
    }

    @Test
    void noPolicyIsOpportunisticWithAnyCertificate() throws Exception {
        startMx(TestCerts.selfSigned("mx.plain.secure.test", List.of("mx.plain.secure.test")));
        OutboundDelivery q = queue(startDns(null, false));
        spool(false, "bob@plain.secure.test");
        q.runOnce();
        assertThat(mx.received).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
        assertThat(onlyPolicy("plain.secure.test").totalSuccessfulSessionCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ MTA-STS

    static String policy(String mode, String mxPattern) {
        return "version: STSv1\r\nmode: " + mode + "\r\nmx: " + mxPattern + "\r\nmax_age: 86400\r\n";
    }

    @Test
    void mtaStsEnforceWithAValidCertificateDelivers() throws Exception {
        stsPolicy = policy("enforce", "mx.sts.secure.test");
        startMx(TestCerts.leaf(ca, "mx.sts.secure.test", List.of("mx.sts.secure.test")));
        OutboundDelivery q = queue(startDns(null, false));
        spool(false, "bob@sts.secure.test");
        q.runOnce();
        assertThat(mx.received).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
        TlsRptReport.PolicyResult p = onlyPolicy("sts.secure.test");
        assertThat(p.policy().policyType()).isEqualTo("sts");
        assertThat(p.policy().policyString()).contains("mode: enforce", "mx: mx.sts.secure.test");
        assertThat(p.policy().mxHost()).containsExactly("mx.sts.secure.test");
        assertThat(p.totalSuccessfulSessionCount()).isEqualTo(1);
    }

    @Test
    void mtaStsEnforceWithAnUntrustedCertificateDefers() throws Exception {
        stsPolicy = policy("enforce", "mx.sts.secure.test");
        startMx(TestCerts.selfSigned("mx.sts.secure.test", List.of("mx.sts.secure.test")));
        OutboundDelivery q = queue(startDns(null, false));
        long id = spool(false, "bob@sts.secure.test");
        q.runOnce();
        assertThat(mx.received).isEmpty();
        assertThat(mx.connections.get()).as("no cleartext retry").isEqualTo(1);
        Delivery d = delivery(id);
        assertThat(d.state()).isEqualTo(State.PENDING);
        assertThat(d.lastReply()).startsWith("454 4.7.5").contains("chain not trusted");
        assertThat(onlyPolicy("sts.secure.test").failureDetails()).singleElement()
                .satisfies(f -> assertThat(f.resultType()).isEqualTo("certificate-not-trusted"));
    }

    @Test
    void mtaStsEnforceWithTheWrongNameDefers() throws Exception {
        stsPolicy = policy("enforce", "mx.sts.secure.test");
        startMx(TestCerts.leaf(ca, "other.test", List.of("other.test")));
        OutboundDelivery q = queue(startDns(null, false));
        long id = spool(false, "bob@sts.secure.test");
        q.runOnce();
        assertThat(mx.received).isEmpty();
        assertThat(delivery(id).lastReply()).startsWith("454 4.7.5").contains("name mismatch");
        assertThat(onlyPolicy("sts.secure.test").failureDetails()).singleElement()
                .satisfies(f -> assertThat(f.resultType()).isEqualTo("certificate-host-mismatch"));
    }

    @Test
    void mtaStsEnforceSkipsAnMxThePolicyDoesNotList() throws Exception {
        stsPolicy = policy("enforce", "mx.elsewhere.test");
        startMx(TestCerts.leaf(ca, "mx.sts.secure.test", List.of("mx.sts.secure.test")));
        OutboundDelivery q = queue(startDns(null, false));
        long id = spool(false, "bob@sts.secure.test");
        q.runOnce();
        assertThat(mx.connections.get()).isZero();
        assertThat(delivery(id).lastReply()).startsWith("451 4.7.5").contains("not listed in the MTA-STS policy");
    }

    @Test
    void mtaStsTestingDeliversAndReportsTheFailure() throws Exception {
        stsPolicy = policy("testing", "mx.sts.secure.test");
        startMx(TestCerts.selfSigned("mx.sts.secure.test", List.of("mx.sts.secure.test")));
        OutboundDelivery q = queue(startDns(null, false));
        spool(false, "bob@sts.secure.test");
        q.runOnce();
        assertThat(mx.received).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
        TlsRptReport.PolicyResult p = onlyPolicy("sts.secure.test");
        assertThat(p.policy().policyString()).contains("mode: testing");
        assertThat(p.totalSuccessfulSessionCount()).isZero();
        assertThat(p.totalFailureSessionCount()).isEqualTo(1);
        assertThat(p.failureDetails()).singleElement().satisfies(f -> assertThat(f.resultType()).isEqualTo("certificate-not-trusted"));
    }

    @Test
    void daneTakesPrecedenceOverMtaSts() throws Exception {
        // secure.test has no MTA-STS record here; sts.secure.test gets a TLSA through its own MX name below
        stsPolicy = policy("enforce", "mx.sts.secure.test");
        TestCerts.Issued cert = TestCerts.selfSigned("mx.sts.secure.test", List.of("mx.sts.secure.test"));
        startMx(cert);
        DnsJavaResolver r = startDnsWith("_" + mx.port() + "._tcp.mx.sts IN TLSA " + daneEe(cert) + "\n");
        OutboundDelivery q = queue(r);
        spool(false, "bob@sts.secure.test");
        q.runOnce();
        // an untrusted certificate that MTA-STS enforce would refuse, but DANE authenticates it
        assertThat(mx.received).singleElement().satisfies(x -> assertThat(x.tls()).isTrue());
        assertThat(onlyPolicy("sts.secure.test").policy().policyType()).isEqualTo("tlsa");
    }

    DnsJavaResolver startDnsWith(String extra) throws Exception {
        dns = TestDnsServer.start("secure.test");
        dns.zone("""
                sts        IN MX   10 mx.sts
                mx.sts     IN A    127.0.0.1
                _mta-sts.sts IN TXT "v=STSv1; id=20260301"
                mta-sts.sts IN A   127.0.0.1
                """ + extra);
        var ds = dns.sign();
        Path anchors = Files.writeString(dir.resolve("anchors.txt"), ds + "\n");
        return new DnsJavaResolver(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(3), 1, true, anchors, 100));
    }

    // ------------------------------------------------------------------ REQUIRETLS

    @Test
    void requireTlsToAnUntrustedCertificateIsNotSentAndBounces() throws Exception {
        startMx(TestCerts.selfSigned("mx.plain.secure.test", List.of("mx.plain.secure.test")));
        OutboundDelivery q = queue(startDns(null, false));
        long id = spool(true, "bob@plain.secure.test");
        q.runOnce();
        assertThat(mx.received).isEmpty();
        // RFC 8689 §5: 5.7.30, returned to the sender (the DSN leaves the content out)
        List<String> dsns = new ArrayList<>();
        for (Spool.QueuedMessage m : store.spool().list(100)) {
            if (!m.envelope().mailFrom().isEmpty()) continue;
            try (InputStream in = store.blobs().open(m.blob().id())) {
                dsns.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(dsns).singleElement().satisfies(x -> assertThat(x).contains("Status: 5.7.30").doesNotContain("The secret text."));
        assertThat(store.outbound().show(id)).isEmpty();
    }

    @Test
    void requireTlsWithDaneIsSent() throws Exception {
        TestCerts.Issued cert = TestCerts.selfSigned("mx.secure.test", List.of("mx.secure.test"));
        startMx(cert);
        OutboundDelivery q = queue(startDns(daneEe(cert), false));
        spool(true, "bob@secure.test");
        q.runOnce();
        assertThat(mx.received).singleElement().satisfies(r -> {
            assertThat(r.tls()).isTrue();
            assertThat(r.tx().requireTls()).isTrue();
        });
    }

    // ------------------------------------------------------------------ TLS-RPT

    @Test
    void dailyReportIsSpooledAndSentDespiteThePolicyFailureItReports() throws Exception {
        TestCerts.Issued cert = TestCerts.selfSigned("mx.secure.test", List.of("mx.secure.test"));
        TestCerts.Issued other = TestCerts.selfSigned("mx.secure.test", List.of("mx.secure.test"));
        startMx(cert);
        DnsJavaResolver resolver = startDns(daneEe(other), false);
        OutboundDelivery q = queue(resolver);
        spool(false, "bob@secure.test");
        q.runOnce();
        assertThat(mx.received).isEmpty(); // DANE mismatch

        TlsRptSender sender = new TlsRptSender(store, resolver, collector,
                TlsRptSender.Settings.defaults("out.test", "Sealpost Test"), clock, null);
        assertThat(sender.sendDue()).as("the day is not over").isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(sender.sendDue()).isEqualTo(1);
        assertThat(sender.sendDue()).as("drained").isZero();

        Spool.QueuedMessage report = store.spool().list(100).stream()
                .filter(m -> m.envelope().mailFrom().equals("postmaster@out.test")).findFirst().orElseThrow();
        assertThat(report.recipients()).extracting(Spool.QueuedRecipient::address).containsExactly("tlsrpt@secure.test");
        assertThat(report.envelope().dsnEnvid()).startsWith(TlsRptSender.ENVID_PREFIX + "2026-03-01");
        byte[] mail;
        try (InputStream in = store.blobs().open(report.blob().id())) {
            mail = in.readAllBytes();
        }
        assertThat(new String(mail, StandardCharsets.US_ASCII)).contains("TLS-Report-Domain: secure.test", "TLS-Report-Submitter: out.test",
                "From: postmaster@out.test", "report-type=\"tlsrpt\"", "application/tlsrpt+gzip");
        TlsRptReportMail.ReceivedReport parsed = TlsRptReportMail.parse(new ByteArrayInputStream(mail));
        assertThat(parsed.reportDomain()).isEqualTo("secure.test");
        TlsRptReport r = parsed.report();
        assertThat(r.organizationName()).isEqualTo("Sealpost Test");
        assertThat(r.startDatetime()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(r.endDatetime()).isEqualTo(Instant.parse("2026-03-01T23:59:59Z"));
        assertThat(r.policies()).singleElement().satisfies(p -> {
            assertThat(p.policy().policyType()).isEqualTo("tlsa");
            assertThat(p.policy().policyDomain()).isEqualTo("secure.test");
            assertThat(p.totalFailureSessionCount()).isEqualTo(1);
            assertThat(p.failureDetails()).singleElement().satisfies(f -> assertThat(f.resultType()).isEqualTo("validation-failure"));
        });

        // RFC 8460 §5.3.1: the report itself goes out although DANE fails for that domain
        toRemote(report.id());
        q.runOnce();
        assertThat(mx.received).singleElement().satisfies(x -> {
            assertThat(x.tx().reversePath().toString()).isEqualTo("postmaster@out.test");
            assertThat(x.text()).contains("TLS-Report-Domain: secure.test");
        });
        assertThat(store.outbound().show(report.id())).isEmpty();
    }

    @Test
    void noReportWithoutATlsRptRecord() throws Exception {
        startMx(null);
        DnsJavaResolver resolver = startDns(null, false);
        OutboundDelivery q = queue(resolver);
        spool(false, "bob@plain.secure.test"); // plain.secure.test has no _smtp._tls record
        q.runOnce();
        clock.advance(Duration.ofDays(1));
        TlsRptSender sender = new TlsRptSender(store, resolver, collector, TlsRptSender.Settings.defaults("out.test", null), clock, null);
        assertThat(sender.sendDue()).isZero();
        assertThat(collector.days()).isEmpty();
    }
}
