package dev.sealpost.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.dns.DnsAnswer.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneResolverTest {
    private final ZoneResolver zone = ZoneResolver.builder()
            .txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all")
            .txt("_dmarc.example.com", "v=DMARC1; p=reject")
            .a("example.com", "192.0.2.1")
            .a("mail.example.com", "192.0.2.10")
            .aaaa("mail.example.com", "2001:db8::10")
            .mx("example.com", 20, "mx2.example.com")
            .mx("example.com", 10, "mail.example.com.")
            .mx("nullmx.example", 0, ".")
            .ptr("192.0.2.10", "mail.example.com")
            .ptr("2001:db8::10", "mail.example.com")
            .cname("www.example.com", "mail.example.com")
            .cname("loop1.example.com", "loop2.example.com")
            .cname("loop2.example.com", "loop1.example.com")
            .cname("dangling.example.com", "nothing.example.com")
            .tlsa("_25._tcp.mail.example.com", 3, 1, 1, HexFormat.of().parseHex("00112233"))
            .a("*.wild.example.com", "192.0.2.99")
            .timeout("slow.example.com")
            .servfail("broken.example.com")
            .cname("tobroken.example.com", "broken.example.com")
            .build();

    @Test
    void typedAnswers() throws Exception {
        assertThat(zone.txt("example.com").records()).containsExactly("v=spf1 ip4:192.0.2.0/24 -all");
        assertThat(zone.a("example.com").records()).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(zone.aaaa("mail.example.com").records()).containsExactly(InetAddress.getByName("2001:db8::10"));
        assertThat(zone.mx("example.com").records()).containsExactly(new MxRecord(20, "mx2.example.com"), new MxRecord(10, "mail.example.com"));
        assertThat(zone.mx("nullmx.example").records()).containsExactly(new MxRecord(0, ""));
        assertThat(zone.ptr(InetAddress.getByName("192.0.2.10")).records()).containsExactly("mail.example.com");
        assertThat(zone.ptr(InetAddress.getByName("2001:db8::10")).records()).containsExactly("mail.example.com");
        assertThat(zone.tlsa("_25._tcp.mail.example.com").records())
                .containsExactly(new TlsaRecord(3, 1, 1, HexFormat.of().parseHex("00112233")));
        assertThat(zone.a("example.com").authentic()).isFalse();
    }

    @Test
    void namesAreCaseInsensitiveAndTrailingDotIsIgnored() {
        assertThat(zone.a("MAIL.Example.COM.").records()).hasSize(1);
        assertThat(zone.txt("_DMARC.example.com").records()).containsExactly("v=DMARC1; p=reject");
    }

    @Test
    void nxdomainIsDistinctFromNoData() {
        DnsAnswer<String> nx = zone.txt("nope.example.com");
        assertThat(nx.status()).isEqualTo(Status.NXDOMAIN);
        assertThat(nx.empty()).isTrue();
        DnsAnswer<InetAddress> noData = zone.aaaa("example.com"); // exists with other types
        assertThat(noData.status()).isEqualTo(Status.NOERROR);
        assertThat(noData.records()).isEmpty();
        // RFC 8020: an empty non-terminal exists
        assertThat(zone.txt("_tcp.mail.example.com").status()).isEqualTo(Status.NOERROR);
        // but a TLD above data without an SOA does not
        assertThat(zone.txt("com").status()).isEqualTo(Status.NXDOMAIN);
    }

    @Test
    void cnamesAreFollowed() {
        assertThat(zone.a("www.example.com").records()).hasSize(1);
        assertThat(zone.aaaa("www.example.com").records()).hasSize(1);
        assertThat(zone.txt("www.example.com").status()).isEqualTo(Status.NOERROR); // target exists, no TXT
        assertThat(zone.a("dangling.example.com").status()).isEqualTo(Status.NXDOMAIN); // RFC 6604
        assertThat(zone.a("loop1.example.com").status()).isEqualTo(Status.SERVFAIL);
        assertThat(zone.cname("www.example.com").records()).containsExactly("mail.example.com");
        assertThat(zone.a("tobroken.example.com").status()).isEqualTo(Status.SERVFAIL);
    }

    @Test
    void longCnameChainIsServfail() {
        ZoneResolver.Builder b = ZoneResolver.builder();
        for (int i = 0; i < 12; i++) b.cname("c" + i + ".example", "c" + (i + 1) + ".example");
        b.a("c12.example", "192.0.2.1");
        ZoneResolver z = b.build();
        assertThat(z.a("c4.example").records()).hasSize(1); // 8 links
        assertThat(z.a("c0.example").status()).isEqualTo(Status.SERVFAIL);
    }

    @Test
    void wildcards() throws Exception {
        assertThat(zone.a("anything.wild.example.com").records()).containsExactly(InetAddress.getByName("192.0.2.99"));
        assertThat(zone.a("a.b.wild.example.com").records()).hasSize(1); // RFC 4592 §2.2.1: closest encloser wild.example.com
        assertThat(zone.txt("x.wild.example.com").status()).isEqualTo(Status.NOERROR); // wildcard owns the name, no TXT
        assertThat(zone.a("wild.example.com").status()).isEqualTo(Status.NOERROR); // empty non-terminal, not synthesized
        ZoneResolver z = ZoneResolver.builder().a("*.example", "192.0.2.1").a("host.sub.example", "192.0.2.2").build();
        // RFC 4592 §2.2.1: sub.example exists, so x.sub.example does not match *.example
        assertThat(z.a("x.sub.example").status()).isEqualTo(Status.NXDOMAIN);
        assertThat(z.a("y.example").records()).hasSize(1);
    }

    @Test
    void failureMarkers() {
        assertThat(zone.a("slow.example.com").status()).isEqualTo(Status.TIMEOUT);
        assertThat(zone.txt("slow.example.com").temporaryFailure()).isTrue();
        assertThat(zone.mx("broken.example.com").status()).isEqualTo(Status.SERVFAIL);
    }

    @Test
    void txtStringsOfOneRecordAreConcatenatedAndLongTextIsSplit() throws Exception {
        String longText = "v=DKIM1; k=rsa; p=" + "A".repeat(600);
        ZoneResolver z = ZoneResolver.builder().txt("long.example", longText)
                .masterText("multi.example. IN TXT \"v=spf1 \" \"-all\"\nmulti.example. IN TXT \"other\"\n", null).build();
        assertThat(z.txt("long.example").records()).containsExactly(longText);
        assertThat(z.txt("multi.example").records()).containsExactlyInAnyOrder("v=spf1 -all", "other");
    }

    @Test
    void authenticFlag() {
        ZoneResolver z = ZoneResolver.builder().authentic(true).a("x.example", "192.0.2.1").build();
        assertThat(z.a("x.example").authentic()).isTrue();
        assertThat(z.a("nx.example").authentic()).isTrue();
        assertThat(z.a("nx.example").status()).isEqualTo(Status.NXDOMAIN);
    }

    @Test
    void invalidNamesAreNxdomain() {
        assertThat(zone.a("a..example.com").status()).isEqualTo(Status.NXDOMAIN);
        assertThat(zone.a("x".repeat(64) + ".example").status()).isEqualTo(Status.NXDOMAIN);
        assertThat(zone.a("").status()).isEqualTo(Status.NXDOMAIN);
    }

    @Test
    void masterFileWithSeveralZones(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("zones.txt");
        Files.writeString(file, """
                $TTL 600
                $ORIGIN example.org.
                @       IN SOA ns1 hostmaster 1 7200 3600 1209600 300
                @       IN MX 10 mx
                mx      IN A 198.51.100.25
                @       IN TXT "v=spf1 mx -all"
                deep.a.b IN A 198.51.100.1
                $ORIGIN example.net.
                @       IN TXT "v=spf1 include:example.org -all"
                _25._tcp.mx.example.org. IN TLSA 3 1 1 0123456789abcdef
                *.example.net. IN MX 0 .
                25.100.51.198.in-addr.arpa. IN PTR mx.example.org.
                """);
        ZoneResolver z = ZoneResolver.fromMasterFile(file);
        assertThat(z.mx("example.org").records()).containsExactly(new MxRecord(10, "mx.example.org"));
        assertThat(z.txt("example.net").records()).containsExactly("v=spf1 include:example.org -all");
        assertThat(z.tlsa("_25._tcp.mx.example.org").records()).hasSize(1);
        assertThat(z.mx("foo.example.net").records()).containsExactly(new MxRecord(0, ""));
        assertThat(z.ptr(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 25})).records()).containsExactly("mx.example.org");
        assertThat(z.a("b.example.org").status()).isEqualTo(Status.NOERROR); // empty non-terminal below the apex
        assertThat(z.a("c.example.org").status()).isEqualTo(Status.NXDOMAIN);
        assertThat(z.a("org").status()).isEqualTo(Status.NXDOMAIN); // above the apex
    }

    @Test
    void badMasterFileNamesTheLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.zone");
        Files.writeString(file, "example.org. IN A 192.0.2.1\nexample.org. IN A not-an-address\n");
        assertThatThrownBy(() -> ZoneResolver.fromMasterFile(file)).isInstanceOf(IOException.class).hasMessageContaining("2");
        assertThatThrownBy(() -> ZoneResolver.fromMasterFile(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }
}
