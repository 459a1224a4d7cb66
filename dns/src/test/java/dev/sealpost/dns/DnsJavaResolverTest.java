package dev.sealpost.dns;

import dev.sealpost.testkit.MutableClock;
import dev.sealpost.testkit.TestDnsServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.dns.DnsAnswer.Status;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

class DnsJavaResolverTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private TestDnsServer server;
    private MutableClock clock;
    private DnsJavaResolver resolver;

    @BeforeEach
    void setUp() throws Exception {
        server = TestDnsServer.start("example.test");
        server.zone("""
                @            IN A     192.0.2.1
                @            IN MX    10 mail
                @            IN MX    20 mail2.example.org.
                @            IN TXT   "v=spf1 " "ip4:192.0.2.0/24 -all"
                @            IN TXT   "google-site-verification=x"
                mail         IN A     192.0.2.10
                mail         IN AAAA  2001:db8::10
                www    600   IN CNAME mail
                far          IN CNAME target.elsewhere.example.
                _25._tcp.mail IN TLSA 3 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
                short  5     IN A     192.0.2.5
                a.b.c        IN A     192.0.2.7
                slow         IN A     192.0.2.8
                broken       IN A     192.0.2.9
                refused      IN A     192.0.2.9
                """);
        server.drop("slow");
        server.servfail("broken");
        server.refuse("refused");
        clock = new MutableClock(Instant.now());
        resolver = new DnsJavaResolver(settings(List.of(server.address()), false, null), clock);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    static DnsSettings settings(List<InetSocketAddress> servers, boolean dnssec, Path anchors) {
        return new DnsSettings(servers, TIMEOUT, 1, dnssec, anchors, 1000);
    }

    @Test
    void typedAnswers() throws Exception {
        assertThat(resolver.a("example.test").records()).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(resolver.aaaa("mail.example.test").records()).containsExactly(InetAddress.getByName("2001:db8::10"));
        assertThat(resolver.mx("example.test").records())
                .containsExactlyInAnyOrder(new MxRecord(10, "mail.example.test"), new MxRecord(20, "mail2.example.org"));
        assertThat(resolver.txt("example.test").records())
                .containsExactlyInAnyOrder("v=spf1 ip4:192.0.2.0/24 -all", "google-site-verification=x");
        assertThat(resolver.tlsa("_25._tcp.mail.example.test").records()).containsExactly(new TlsaRecord(3, 1, 1,
                HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")));
        DnsAnswer<InetAddress> a = resolver.a("MAIL.example.TEST.");
        assertThat(a.status()).isEqualTo(Status.NOERROR);
        assertThat(a.authentic()).isFalse();
    }

    @Test
    void ptr() throws Exception {
        try (TestDnsServer reverse = TestDnsServer.start("2.0.192.in-addr.arpa")) {
            reverse.zone("10 IN PTR mail.example.test.\n");
            DnsJavaResolver r = new DnsJavaResolver(settings(List.of(reverse.address()), false, null));
            assertThat(r.ptr(InetAddress.getByName("192.0.2.10")).records()).containsExactly("mail.example.test");
            assertThat(r.ptr(InetAddress.getByName("192.0.2.11")).status()).isEqualTo(Status.NXDOMAIN);
        }
    }

    @Test
    void cnameChainInTheAnswerIsFollowed() throws Exception {
        assertThat(resolver.a("www.example.test").records()).containsExactly(InetAddress.getByName("192.0.2.10"));
        assertThat(resolver.aaaa("www.example.test").records()).hasSize(1);
        assertThat(resolver.txt("www.example.test").status()).isEqualTo(Status.NOERROR);
        assertThat(resolver.txt("www.example.test").records()).isEmpty();
    }

    @Test
    void cnameToANameTheServerDoesNotServeIsAskedForNext() throws Exception {
        DnsAnswer<InetAddress> a = resolver.a("far.example.test");
        // our one server refuses names outside its zone: the follow-up query was made, and failed
        assertThat(server.queries("target.elsewhere.example.", Type.A)).isEqualTo(1);
        assertThat(a.status()).isEqualTo(Status.SERVFAIL);
    }

    @Test
    void nxdomainIsDistinctFromNoData() {
        assertThat(resolver.a("nope.example.test").status()).isEqualTo(Status.NXDOMAIN);
        DnsAnswer<InetAddress> noData = resolver.aaaa("example.test");
        assertThat(noData.status()).isEqualTo(Status.NOERROR);
        assertThat(noData.records()).isEmpty();
        assertThat(resolver.a("b.c.example.test").status()).isEqualTo(Status.NOERROR); // empty non-terminal, RFC 8020
        assertThat(resolver.a("x.a.b.c.example.test").status()).isEqualTo(Status.NXDOMAIN);
    }

    @Test
    void serverFailuresAreServfail() {
        assertThat(resolver.a("broken.example.test").status()).isEqualTo(Status.SERVFAIL);
        assertThat(resolver.a("refused.example.test").status()).isEqualTo(Status.SERVFAIL);
        assertThat(resolver.a("broken.example.test").temporaryFailure()).isTrue();
    }

    @Test
    void noReplyIsTimeoutWithinTheBudget() throws Exception {
        long start = System.nanoTime();
        DnsAnswer<InetAddress> a = resolver.a("slow.example.test");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(a.status()).isEqualTo(Status.TIMEOUT);
        assertThat(took).isLessThan(TIMEOUT.plusSeconds(1));
        assertThat(server.queries("slow", Type.A)).as("retried").isGreaterThanOrEqualTo(2);
        assertThat(resolver.a("slow.example.test").status()).as("failures are not cached").isEqualTo(Status.TIMEOUT);
    }

    @Test
    void unreachableServerIsATemporaryFailureWithinTheBudget() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        DnsJavaResolver r = new DnsJavaResolver(new DnsSettings(List.of(closed), Duration.ofSeconds(1), 2, false, null, 10));
        long start = System.nanoTime();
        DnsAnswer<String> txt = r.txt("example.test");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(txt.status()).isIn(Status.TIMEOUT, Status.SERVFAIL);
        assertThat(took).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        assertThat(resolver.a("mail.example.test").records()).hasSize(1);
        assertThat(resolver.a("mail.example.test").records()).hasSize(1);
        assertThat(server.queries("mail", Type.A)).isEqualTo(1);
        assertThat(resolver.aaaa("mail.example.test").records()).hasSize(1);
        assertThat(server.queries("mail", Type.AAAA)).as("the type is part of the key").isEqualTo(1);

        assertThat(resolver.a("short.example.test").records()).hasSize(1); // TTL 5
        clock.advance(Duration.ofSeconds(4));
        resolver.a("short.example.test");
        assertThat(server.queries("short", Type.A)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        resolver.a("short.example.test");
        assertThat(server.queries("short", Type.A)).isEqualTo(2);
    }

    @Test
    void cnameAnswersUseTheSmallestTtlOfTheChain() throws Exception {
        resolver.a("www.example.test"); // CNAME 600, A 300
        clock.advance(Duration.ofSeconds(299));
        resolver.a("www.example.test");
        assertThat(server.queries("www", Type.A)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        resolver.a("www.example.test");
        assertThat(server.queries("www", Type.A)).isEqualTo(2);
    }

    @Test
    void negativeAnswersAreCachedForTheSoaMinimum() throws Exception {
        // SOA TTL 3600, MINIMUM 60: RFC 2308 §5 takes the smaller
        assertThat(resolver.a("nope.example.test").status()).isEqualTo(Status.NXDOMAIN);
        assertThat(resolver.aaaa("example.test").records()).isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(resolver.a("nope.example.test").status()).isEqualTo(Status.NXDOMAIN);
        assertThat(resolver.aaaa("example.test").records()).isEmpty();
        assertThat(server.queries("nope", Type.A)).isEqualTo(1);
        assertThat(server.queries("@", Type.AAAA)).isEqualTo(1);
        server.zone("nope IN A 192.0.2.77\n");
        clock.advance(Duration.ofSeconds(2));
        assertThat(resolver.a("nope.example.test").records()).containsExactly(InetAddress.getByName("192.0.2.77"));
        assertThat(server.queries("nope", Type.A)).isEqualTo(2);
    }

    @Test
    void cacheCanBeClearedAndTurnedOff() throws Exception {
        resolver.a("mail.example.test");
        assertThat(resolver.cachedAnswers()).isEqualTo(1);
        resolver.clearCache();
        resolver.a("mail.example.test");
        assertThat(server.queries("mail", Type.A)).isEqualTo(2);
        DnsJavaResolver uncached = new DnsJavaResolver(new DnsSettings(List.of(server.address()), TIMEOUT, 0, false, null, 0));
        uncached.a("example.test");
        uncached.a("example.test");
        assertThat(server.queries("@", Type.A)).isEqualTo(2);
    }

    @Test
    void largeAnswersFallBackToTcp() throws Exception {
        StringBuilder zone = new StringBuilder();
        for (int i = 0; i < 12; i++) zone.append("big IN TXT \"").append(String.valueOf((char) ('a' + i)).repeat(200)).append("\"\n");
        server.zone(zone.toString());
        DnsAnswer<String> txt = resolver.txt("big.example.test");
        assertThat(txt.records()).hasSize(12);
        assertThat(server.tcpQueries()).isPositive(); // RFC 7766: TC over UDP, then TCP
    }

    @Test
    void invalidNamesAreNxdomainWithoutAQuery() {
        assertThat(resolver.a("a..example.test").status()).isEqualTo(Status.NXDOMAIN);
        assertThat(resolver.txt("x".repeat(64) + ".example.test").status()).isEqualTo(Status.NXDOMAIN);
        assertThat(server.totalQueries()).isZero();
    }

    @Test
    void concurrentLookups() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DnsAnswer<InetAddress>>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String name = (i % 2 == 0 ? "mail" : "www") + ".example.test";
                futures.add(pool.submit(() -> resolver.a(name)));
            }
            for (Future<DnsAnswer<InetAddress>> f : futures) assertThat(f.get().records()).hasSize(1);
        }
    }

    @Test
    void upstreamAdBitIsTrustedOnlyWhenConfigured() {
        server.claimAuthentic(true);
        assertThat(resolver.a("example.test").authentic()).as("not trusted by default").isFalse();
        DnsJavaResolver trusting = new DnsJavaResolver(new DnsSettings(List.of(server.address()), TIMEOUT, 1, false, null, 10, true));
        assertThat(trusting.a("example.test").authentic()).isTrue();
        assertThat(trusting.a("nope.example.test").authentic()).isTrue();
        server.claimAuthentic(false);
        assertThat(trusting.a("mail.example.test").authentic()).isFalse();
    }

    @Test
    void settingsAreChecked(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new DnsSettings(List.of(), Duration.ZERO, 1, false, null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsSettings(List.of(), TIMEOUT, -1, false, null, 1)).isInstanceOf(IllegalArgumentException.class);
        Path empty = Files.writeString(dir.resolve("anchors"), "; nothing\n");
        assertThatThrownBy(() -> new DnsJavaResolver(settings(List.of(server.address()), true, empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no DS or DNSKEY");
        assertThatThrownBy(() -> new DnsJavaResolver(settings(List.of(server.address()), true, dir.resolve("missing"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
        assertThat(DnsSettings.defaults().dnssec()).isTrue();
        // the built-in root anchors load
        new DnsJavaResolver(DnsSettings.defaults().withServers(List.of(server.address())));
    }
}
