package dev.sealpost.auth.iprev;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8601 §3 iprev results over a small in-memory resolver. */
class IprevVerifierTest {
    /** Answers by "TYPE name" key (PTR keys use the address's text form); missing keys are NXDOMAIN. */
    static class MapResolver implements Resolver {
        final Map<String, DnsAnswer<?>> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        MapResolver put(String key, DnsAnswer<?> answer) {
            answers.put(key, answer);
            return this;
        }

        @SuppressWarnings("unchecked")
        private <T> DnsAnswer<T> get(String key) {
            asked.add(key);
            return (DnsAnswer<T>) answers.getOrDefault(key, DnsAnswer.nxdomain(false));
        }

        @Override public DnsAnswer<String> txt(String name) { return get("TXT " + name); }
        @Override public DnsAnswer<InetAddress> a(String name) { return get("A " + name); }
        @Override public DnsAnswer<InetAddress> aaaa(String name) { return get("AAAA " + name); }
        @Override public DnsAnswer<MxRecord> mx(String name) { return get("MX " + name); }
        @Override public DnsAnswer<String> ptr(InetAddress ip) { return get("PTR " + ip.getHostAddress()); }
        @Override public DnsAnswer<TlsaRecord> tlsa(String name) { return get("TLSA " + name); }
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s); // literals only: no name service involved
    }

    static DnsAnswer<String> names(String... n) {
        return DnsAnswer.of(List.of(n), false);
    }

    static DnsAnswer<InetAddress> addrs(String... a) throws Exception {
        List<InetAddress> l = new ArrayList<>();
        for (String s : a) l.add(ip(s));
        return DnsAnswer.of(l, false);
    }

    @Test
    void passWhenAPtrNameResolvesBack() throws Exception {
        MapResolver r = new MapResolver()
                .put("PTR 192.0.2.1", names("other.example.net", "Mail.Example.com."))
                .put("A other.example.net", addrs("198.51.100.1"))
                .put("A mail.example.com", addrs("203.0.113.9", "192.0.2.1"));
        IprevOutcome o = new IprevVerifier(r).check(ip("192.0.2.1"));
        assertThat(o.result()).isEqualTo(IprevResult.PASS);
        assertThat(o.name()).isEqualTo("mail.example.com");
        assertThat(o.ip()).isEqualTo(ip("192.0.2.1"));
    }

    @Test
    void ipv6UsesAaaa() throws Exception {
        MapResolver r = new MapResolver()
                .put("PTR 2001:db8:0:0:0:0:0:25", names("mx.example.com"))
                .put("A mx.example.com", addrs("192.0.2.1"))
                .put("AAAA mx.example.com", addrs("2001:db8::25"));
        assertThat(new IprevVerifier(r).check(ip("2001:db8::25")).result()).isEqualTo(IprevResult.PASS);
        assertThat(r.asked).doesNotContain("A mx.example.com");
    }

    @Test
    void failWhenNoNameConfirms() throws Exception {
        MapResolver r = new MapResolver()
                .put("PTR 192.0.2.1", names("liar.example.com", "gone.example.com", "empty.example.com"))
                .put("A liar.example.com", addrs("198.51.100.1"))
                .put("A empty.example.com", DnsAnswer.noData(false));
        IprevOutcome o = new IprevVerifier(r).check(ip("192.0.2.1"));
        assertThat(o.result()).isEqualTo(IprevResult.FAIL);
        assertThat(o.name()).isNull();
    }

    @Test
    void permerrorWithoutPtrData() throws Exception {
        // RFC 8601 §3: no PTR published (NXDOMAIN or an empty answer) is permerror
        assertThat(new IprevVerifier(new MapResolver()).check(ip("192.0.2.1")).result()).isEqualTo(IprevResult.PERMERROR);
        MapResolver empty = new MapResolver().put("PTR 192.0.2.1", DnsAnswer.noData(false));
        assertThat(new IprevVerifier(empty).check(ip("192.0.2.1")).result()).isEqualTo(IprevResult.PERMERROR);
    }

    @Test
    void temperrorOnDnsTrouble() throws Exception {
        MapResolver servfail = new MapResolver().put("PTR 192.0.2.1", DnsAnswer.failure(DnsAnswer.Status.SERVFAIL));
        assertThat(new IprevVerifier(servfail).check(ip("192.0.2.1")).result()).isEqualTo(IprevResult.TEMPERROR);
        MapResolver forwardTimeout = new MapResolver()
                .put("PTR 192.0.2.1", names("a.example.com", "b.example.com"))
                .put("A a.example.com", DnsAnswer.failure(DnsAnswer.Status.TIMEOUT))
                .put("A b.example.com", addrs("198.51.100.1"));
        assertThat(new IprevVerifier(forwardTimeout).check(ip("192.0.2.1")).result()).isEqualTo(IprevResult.TEMPERROR);
        // a confirming name wins over a transient error on another
        forwardTimeout.put("A b.example.com", addrs("192.0.2.1"));
        assertThat(new IprevVerifier(forwardTimeout).check(ip("192.0.2.1")).result()).isEqualTo(IprevResult.PASS);
    }

    @Test
    void atMostTenPtrNames() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 11; i++) many.add("h" + i + ".example.com");
        MapResolver r = new MapResolver()
                .put("PTR 192.0.2.1", DnsAnswer.of(many, false))
                .put("A h11.example.com", addrs("192.0.2.1"));
        assertThat(new IprevVerifier(r).check(ip("192.0.2.1")).result()).isEqualTo(IprevResult.FAIL);
        assertThat(r.asked).hasSize(11).doesNotContain("A h11.example.com");
    }

    @Test
    void ipv4MappedAddressIsCheckedAsIpv4() throws Exception {
        MapResolver r = new MapResolver()
                .put("PTR 192.0.2.1", names("mail.example.com"))
                .put("A mail.example.com", addrs("192.0.2.1"));
        InetAddress mapped = java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1}, -1);
        assertThat(new IprevVerifier(r).check(mapped).result()).isEqualTo(IprevResult.PASS);
    }

    @Test
    void spentBudgetIsTemperror() throws Exception {
        Resolver slow = new MapResolver() {
            @Override public DnsAnswer<String> ptr(InetAddress ip) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return names("a.example.com");
            }
        };
        IprevOutcome o = new IprevVerifier(slow, Duration.ofMillis(10)).check(ip("192.0.2.1"));
        assertThat(o.result()).isEqualTo(IprevResult.TEMPERROR);
        assertThat(o.reason()).contains("time budget");
    }
}
