package dev.sealpost.dns;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of {@link DnsJavaResolver}.
 *
 * @param servers          upstream servers with their ports; empty = the system's ({@code /etc/resolv.conf}
 *                         through dnsjava's {@code ResolverConfig})
 * @param timeout          the whole time budget of one look-up (all tries, all servers, DNSSEC
 *                         sub-queries, CNAME follow-ups), e.g. 3 s; never exceeded by more than scheduling
 * @param retries          extra tries per server after the first (0 = one try each)
 * @param dnssec           validate answers (RFC 4033-4035) from {@code trustAnchors}; bogus answers
 *                         become SERVFAIL and validated ones are {@code authentic}
 * @param trustAnchors     master-format file of DS or DNSKEY records; null = the built-in root
 *                         anchors (KSK-2017 and KSK-2024)
 * @param cacheSize        most answers kept in the cache; 0 = no cache
 * @param trustUpstreamAd  only when {@code dnssec} is false: take the upstream's AD bit as
 *                         {@code authentic} (RFC 6840 §5.7). Safe only when the upstream is a validating
 *                         resolver reached over a trusted path, such as one on the loopback
 *                         (RFC 4035 §4.9.3, RFC 7672 §1.3)
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int retries, boolean dnssec,
                          Path trustAnchors, int cacheSize, boolean trustUpstreamAd) {
    public DnsSettings {
        servers = List.copyOf(servers);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("dns timeout must be positive: " + timeout);
        if (timeout.compareTo(Duration.ofMinutes(1)) > 0) throw new IllegalArgumentException("dns timeout must be at most 60 s: " + timeout);
        if (retries < 0 || retries > 10) throw new IllegalArgumentException("dns retries must be 0..10: " + retries);
        if (cacheSize < 0) throw new IllegalArgumentException("dns cache size must be >= 0: " + cacheSize);
    }

    /** Without trusting an upstream AD bit. */
    public DnsSettings(List<InetSocketAddress> servers, Duration timeout, int retries, boolean dnssec, Path trustAnchors, int cacheSize) {
        this(servers, timeout, retries, dnssec, trustAnchors, cacheSize, false);
    }

    /** System servers, 3 s, 1 retry, DNSSEC from the root anchors, 10 000 cached answers. */
    public static DnsSettings defaults() {
        return new DnsSettings(List.of(), Duration.ofSeconds(3), 1, true, null, 10_000, false);
    }

    /**
     * Parses one server as written in configuration: an IP literal with an optional port,
     * {@code 192.0.2.53}, {@code 192.0.2.53:5353}, {@code 2001:db8::53}, {@code [2001:db8::53]:5353}.
     * Host names are refused (resolving the resolver would need DNS). Port 53 by default.
     *
     * @throws IllegalArgumentException naming the text when it is not such an address
     */
    public static InetSocketAddress parseServer(String text) {
        String host = text.strip();
        int port = 53;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("dns server: missing ']' in " + text);
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("dns server: expected :port after ']' in " + text);
                port = port(rest.substring(1), text);
            }
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = port(host.substring(host.indexOf(':') + 1), text);
            host = host.substring(0, host.indexOf(':'));
        }
        byte[] ip = org.xbill.DNS.Address.toByteArray(host, host.contains(":") ? org.xbill.DNS.Address.IPv6 : org.xbill.DNS.Address.IPv4);
        if (ip == null) throw new IllegalArgumentException("dns server: not an IP address[:port]: " + text);
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("dns server: " + text, e);
        }
    }

    private static int port(String digits, String text) {
        try {
            int p = Integer.parseInt(digits);
            if (p >= 1 && p <= 65535) return p;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("dns server: bad port in " + text);
    }

    /** These settings with other servers (e.g. a test server on 127.0.0.1). */
    public DnsSettings withServers(List<InetSocketAddress> newServers) {
        return new DnsSettings(newServers, timeout, retries, dnssec, trustAnchors, cacheSize, trustUpstreamAd);
    }
}
