package dev.sealpost.core.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class CidrTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void ipv4AndIpv6Networks() throws Exception {
        Cidr v4 = Cidr.parse("192.0.2.77/24").orElseThrow();
        assertThat(v4.toString()).isEqualTo("192.0.2.0/24");
        assertThat(v4.contains(ip("192.0.2.1"))).isTrue();
        assertThat(v4.contains(ip("192.0.3.1"))).isFalse();
        assertThat(v4.contains(ip("::ffff:c000:201"))).isTrue(); // Java maps v4-mapped v6 to v4
        Cidr v6 = Cidr.parse("2001:db8::/32").orElseThrow();
        assertThat(v6.contains(ip("2001:db8:1::5"))).isTrue();
        assertThat(v6.contains(ip("2001:db9::5"))).isFalse();
        assertThat(v6.contains(ip("192.0.2.1"))).isFalse();
        Cidr host = Cidr.parse("198.51.100.7").orElseThrow();
        assertThat(host.prefix()).isEqualTo(32);
        assertThat(host.contains(ip("198.51.100.7"))).isTrue();
        assertThat(host.contains(ip("198.51.100.8"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").orElseThrow().contains(ip("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("10.1.2.3/13").orElseThrow().toString()).isEqualTo("10.0.0.0/13");
    }

    @Test
    void rejectsNamesAndBadPrefixes() {
        assertThat(Cidr.parse("mail.example.com")).isEmpty();
        assertThat(Cidr.parse("192.0.2.0/33")).isEmpty();
        assertThat(Cidr.parse("192.0.2.0/-1")).isEmpty();
        assertThat(Cidr.parse("2001:db8::/129")).isEmpty();
        assertThat(Cidr.parse("192.0.2.0/x")).isEmpty();
        assertThat(Cidr.parse("")).isEmpty();
        assertThat(Cidr.parse(null)).isEmpty();
    }
}
