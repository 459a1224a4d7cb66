package dev.sealpost.auth.dmarc;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small in-memory zone for tests: TXT and A data, names that fail, and a query log. */
final class FakeResolver implements Resolver {
    private final Map<String, List<String>> txt = new HashMap<>();
    private final Map<String, List<InetAddress>> a = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    final List<String> queries = new ArrayList<>();

    FakeResolver txt(String name, String... records) {
        txt.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(records));
        return this;
    }

    FakeResolver a(String name, String ip) {
        try {
            a.computeIfAbsent(name, k -> new ArrayList<>()).add(InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    FakeResolver fail(String name) {
        failing.add(name);
        return this;
    }

    /** A name "exists" when it or any name below it holds data (empty non-terminals, RFC 8020). */
    private boolean exists(String name) {
        return txt.keySet().stream().anyMatch(n -> n.equals(name) || n.endsWith("." + name))
                || a.keySet().stream().anyMatch(n -> n.equals(name) || n.endsWith("." + name));
    }

    private <T> DnsAnswer<T> answer(String type, String name, Map<String, List<T>> data) {
        queries.add(type + " " + name);
        if (failing.contains(name)) return DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
        List<T> r = data.get(name);
        if (r != null) return DnsAnswer.of(r, false);
        return exists(name) ? DnsAnswer.noData(false) : DnsAnswer.nxdomain(false);
    }

    @Override public DnsAnswer<String> txt(String name) { return answer("TXT", name, txt); }

    @Override public DnsAnswer<InetAddress> a(String name) { return answer("A", name, a); }

    @Override public DnsAnswer<InetAddress> aaaa(String name) { return answer("AAAA", name, Map.of()); }

    @Override public DnsAnswer<MxRecord> mx(String name) { return answer("MX", name, Map.of()); }

    @Override public DnsAnswer<String> ptr(InetAddress address) { return DnsAnswer.nxdomain(false); }

    @Override public DnsAnswer<TlsaRecord> tlsa(String name) { return answer("TLSA", name, Map.of()); }
}
