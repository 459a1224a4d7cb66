package dev.sealpost.dns;

import dev.sealpost.testkit.TestDnsServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.dns.DnsAnswer.Status;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Type;

/** DNSSEC validation (RFC 4033-4035) against a zone signed in the test, ECDSA P-256 (algorithm 13, RFC 6605). */
class DnssecTest {
    @TempDir
    Path dir;

    private TestDnsServer server;
    private DSRecord ds;
    private Path anchors;

    @BeforeEach
    void setUp() throws Exception {
        server = TestDnsServer.start("secure.test");
        server.zone("""
                @     IN MX   10 mail
                @     IN TXT  "v=spf1 mx -all"
                mail  IN A    192.0.2.25
                _25._tcp.mail IN TLSA 3 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
                www   IN CNAME mail
                bad   IN TXT  "tampered"
                """);
        ds = server.sign();
        server.corruptSignature("bad", Type.TXT);
        anchors = Files.writeString(dir.resolve("anchors.txt"), ds + "\n");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private DnsJavaResolver resolver(Path trustAnchors) {
        return new DnsJavaResolver(new DnsSettings(List.of(server.address()), Duration.ofSeconds(3), 1, true, trustAnchors, 100));
    }

    @Test
    void signedAnswersAreAuthentic() throws Exception {
        DnsJavaResolver r = resolver(anchors);
        DnsAnswer<InetAddress> a = r.a("mail.secure.test");
        assertThat(a.status()).isEqualTo(Status.NOERROR);
        assertThat(a.records()).containsExactly(InetAddress.getByName("192.0.2.25"));
        assertThat(a.authentic()).isTrue();
        DnsAnswer<TlsaRecord> tlsa = r.tlsa("_25._tcp.mail.secure.test");
        assertThat(tlsa.authentic()).isTrue();
        assertThat(tlsa.records()).hasSize(1);
        assertThat(r.mx("secure.test").authentic()).isTrue();
        assertThat(r.txt("secure.test").records()).containsExactly("v=spf1 mx -all");
    }

    @Test
    void cnameChainIsValidated() {
        DnsAnswer<InetAddress> a = resolver(anchors).a("www.secure.test");
        assertThat(a.records()).hasSize(1);
        assertThat(a.authentic()).isTrue();
    }

    @Test
    void dnskeyAsTrustAnchorWorksToo() throws Exception {
        Path keyAnchor = Files.writeString(dir.resolve("key.txt"), server.ksk() + "\n");
        DnsAnswer<InetAddress> a = resolver(keyAnchor).a("mail.secure.test");
        assertThat(a.authentic()).isTrue();
    }

    @Test
    void corruptedSignatureIsBogusAndServfail() {
        DnsJavaResolver r = resolver(anchors);
        assertThat(r.txt("bad.secure.test").status()).isEqualTo(Status.SERVFAIL);
        assertThat(r.txt("secure.test").authentic()).as("the rest of the zone still validates").isTrue();
    }

    @Test
    void wrongTrustAnchorMakesEverythingBogus() throws Exception {
        try (TestDnsServer other = TestDnsServer.start("secure.test")) {
            DSRecord otherDs = other.sign(); // same zone name, different keys
            Path wrong = Files.writeString(dir.resolve("wrong.txt"), otherDs + "\n");
            assertThat(resolver(wrong).a("mail.secure.test").status()).isEqualTo(Status.SERVFAIL);
        }
    }

    @Test
    void signedDenialOfExistence() {
        DnsJavaResolver r = resolver(anchors);
        DnsAnswer<InetAddress> nx = r.a("nope.secure.test");
        assertThat(nx.status()).isEqualTo(Status.NXDOMAIN);
        assertThat(nx.authentic()).isTrue(); // NSEC proves the name and the wildcard absent (RFC 4035 §5.4)
        DnsAnswer<InetAddress> noData = r.aaaa("mail.secure.test");
        assertThat(noData.status()).isEqualTo(Status.NOERROR);
        assertThat(noData.records()).isEmpty();
        assertThat(noData.authentic()).isTrue(); // NSEC at the name lacks AAAA
    }

    @Test
    void unsignedZoneOutsideTheAnchorsIsInsecureNotBogus() throws Exception {
        try (TestDnsServer plain = TestDnsServer.start("plain.test")) {
            plain.zone("@ IN A 192.0.2.80\n");
            DnsAnswer<InetAddress> a = new DnsJavaResolver(new DnsSettings(List.of(plain.address()), Duration.ofSeconds(3), 1, true, anchors, 100))
                    .a("plain.test");
            assertThat(a.status()).isEqualTo(Status.NOERROR);
            assertThat(a.records()).hasSize(1);
            assertThat(a.authentic()).isFalse();
        }
    }

    @Test
    void withoutValidationNothingIsAuthentic() {
        DnsJavaResolver r = new DnsJavaResolver(new DnsSettings(List.of(server.address()), Duration.ofSeconds(3), 1, false, null, 100));
        DnsAnswer<InetAddress> a = r.a("mail.secure.test");
        assertThat(a.records()).hasSize(1);
        assertThat(a.authentic()).isFalse();
        assertThat(r.txt("bad.secure.test").records()).containsExactly("tampered");
    }
}
