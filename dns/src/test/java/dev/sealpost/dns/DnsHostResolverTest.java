package dev.sealpost.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.core.net.dial.HostResolver;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

/** Host names through the configured {@link Resolver}: order, RCODEs, partial failures, literals. */
class DnsHostResolverTest {
    static final ZoneResolver ZONE = ZoneResolver.builder()
            .a("both.example.test", "192.0.2.1").a("both.example.test", "192.0.2.2").aaaa("both.example.test", "2001:db8::1")
            .a("v4.example.test", "192.0.2.4")
            .txt("nodata.example.test", "v=spf1 -all")
            .servfail("broken.example.test")
            .timeout("slow.example.test")
            .cname("alias.example.test", "v4.example.test")
            .a("xn--bcher-kva.example.test", "192.0.2.9")
            .a("localhost", "127.0.0.1")
            .build();
    static final DnsHostResolver HOSTS = new DnsHostResolver(ZONE);

    static List<InetAddress> found(String host) {
        HostResolver.Lookup l = HOSTS.lookup(host);
        assertThat(l).as(host).isInstanceOf(HostResolver.Found.class);
        return ((HostResolver.Found) l).addresses();
    }

    @Test
    void ipv6FirstThenIpv4() {
        assertThat(found("both.example.test")).extracting(InetAddress::getHostAddress)
                .containsExactly("2001:db8:0:0:0:0:0:1", "192.0.2.1", "192.0.2.2");
        assertThat(found("v4.example.test.")).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.4");
        assertThat(found("ALIAS.example.test")).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.4");
        assertThat(found("bücher.example.test")).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.9");
        // even "localhost" is what the configured resolver says, not /etc/hosts
        assertThat(found("localhost")).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
    }

    @Test
    void rcodesBecomeValues() {
        assertThat(HOSTS.lookup("missing.example.test")).isInstanceOfSatisfying(HostResolver.NotFound.class,
                n -> assertThat(n.reason()).contains("NXDOMAIN"));
        assertThat(HOSTS.lookup("nodata.example.test")).isInstanceOfSatisfying(HostResolver.NotFound.class,
                n -> assertThat(n.reason()).contains("no address"));
        assertThat(HOSTS.lookup("broken.example.test")).isInstanceOfSatisfying(HostResolver.TempFail.class,
                t -> assertThat(t.reason()).contains("SERVFAIL"));
        assertThat(HOSTS.lookup("slow.example.test")).isInstanceOf(HostResolver.TempFail.class);
        assertThat(HOSTS.lookup("not a name")).isInstanceOf(HostResolver.NotFound.class);
        assertThat(HOSTS.lookup("")).isInstanceOf(HostResolver.NotFound.class);
    }

    @Test
    void oneFamilyFailingStillGivesTheOther() {
        DnsHostResolver half = new DnsHostResolver(new Resolver() {
            public DnsAnswer<String> txt(String n) { return DnsAnswer.noData(false); }
            public DnsAnswer<InetAddress> a(String n) { return DnsAnswer.of(List.of(InetAddress.ofLiteral("192.0.2.7")), true); }
            public DnsAnswer<InetAddress> aaaa(String n) { return DnsAnswer.failure(DnsAnswer.Status.SERVFAIL); }
            public DnsAnswer<MxRecord> mx(String n) { return DnsAnswer.noData(false); }
            public DnsAnswer<String> ptr(InetAddress a) { return DnsAnswer.noData(false); }
            public DnsAnswer<TlsaRecord> tlsa(String n) { return DnsAnswer.noData(false); }
        });
        assertThat(half.lookup("h.example.test")).isEqualTo(new HostResolver.Found(List.of(InetAddress.ofLiteral("192.0.2.7")), false));
    }

    @Test
    void literalsAreNotLookedUp() {
        assertThat(found("192.0.2.200")).containsExactly(InetAddress.ofLiteral("192.0.2.200"));
        assertThat(found("[2001:db8::7]")).containsExactly(InetAddress.ofLiteral("2001:db8::7"));
    }
}
