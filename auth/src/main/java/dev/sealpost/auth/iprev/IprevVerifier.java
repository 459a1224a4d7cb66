package dev.sealpost.auth.iprev;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Forward-confirmed reverse DNS, "iprev" (RFC 8601 §3): the client IP's PTR names, each looked
 * up forward (A for IPv4, AAAA for IPv6); a name whose addresses include the IP confirms it.
 * At most {@value #MAX_PTR_NAMES} PTR names are tried (the same bound as RFC 7208 §4.6.4), and
 * the whole check has a time budget; a spent budget gives temperror. Thread-safe.
 */
public final class IprevVerifier {
    private static final Logger log = LoggerFactory.getLogger(IprevVerifier.class);
    /** PTR names tried at most; the rest are ignored. */
    public static final int MAX_PTR_NAMES = 10;
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofSeconds(20);

    private final Resolver resolver;
    private final Duration maxDuration;

    public IprevVerifier(Resolver resolver) {
        this(resolver, DEFAULT_MAX_DURATION);
    }

    /**
     * @param maxDuration checked before every query; each query is bounded by the resolver itself
     */
    public IprevVerifier(Resolver resolver, Duration maxDuration) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.maxDuration = Objects.requireNonNull(maxDuration, "iprev.max-duration");
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("iprev.max-duration must be positive, got " + maxDuration);
        }
    }

    public IprevOutcome check(InetAddress address) {
        InetAddress ip = normalize(Objects.requireNonNull(address, "ip"));
        long deadline = System.nanoTime() + maxDuration.toNanos();
        DnsAnswer<String> ptr = query(deadline, "PTR", ip.getHostAddress(), () -> resolver.ptr(ip));
        if (ptr == null) return timeout(ip);
        // RFC 8601 §3: a DNS error is temperror; no PTR data (NXDOMAIN / no answer) is permerror
        if (ptr.temporaryFailure()) return new IprevOutcome(IprevResult.TEMPERROR, ip, null, "DNS " + ptr.status() + " looking up PTR");
        if (ptr.empty()) return new IprevOutcome(IprevResult.PERMERROR, ip, null, "no PTR record");
        boolean v4 = ip.getAddress().length == 4;
        boolean transientSeen = false;
        List<String> names = ptr.records();
        for (int i = 0; i < names.size() && i < MAX_PTR_NAMES; i++) {
            String name = hostName(names.get(i));
            if (name == null) continue;
            DnsAnswer<InetAddress> fwd = v4 ? query(deadline, "A", name, () -> resolver.a(name))
                    : query(deadline, "AAAA", name, () -> resolver.aaaa(name));
            if (fwd == null) return timeout(ip);
            if (fwd.temporaryFailure()) {
                transientSeen = true;
                continue;
            }
            for (InetAddress a : fwd.records()) {
                if (Arrays.equals(a.getAddress(), ip.getAddress())) {
                    return new IprevOutcome(IprevResult.PASS, ip, name, "forward-confirmed " + name);
                }
            }
        }
        // RFC 8601 §3: forward results that disagree or are empty: fail; only a transient error kept us from knowing: temperror
        if (transientSeen) return new IprevOutcome(IprevResult.TEMPERROR, ip, null, "DNS error on a forward lookup");
        return new IprevOutcome(IprevResult.FAIL, ip, null, "no PTR name resolves to " + ip.getHostAddress());
    }

    private IprevOutcome timeout(InetAddress ip) {
        return new IprevOutcome(IprevResult.TEMPERROR, ip, null, "iprev time budget of " + maxDuration.toMillis() + " ms exceeded");
    }

    /** A PTR target as a query name: trailing dot dropped, A-label, lower case; null if no DNS name. */
    static String hostName(String raw) {
        if (raw == null) return null;
        String n = raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
        if (n.isEmpty() || n.length() > 253) return null;
        try {
            n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (String l : n.split("\\.", -1)) if (l.isEmpty() || l.length() > 63) return null;
        return n.toLowerCase(Locale.ROOT);
    }

    /** Null when the deadline has passed; a throwing resolver counts as SERVFAIL. */
    private <T> DnsAnswer<T> query(long deadline, String type, String name, Supplier<DnsAnswer<T>> call) {
        if (System.nanoTime() - deadline > 0) return null;
        try {
            DnsAnswer<T> a = call.get();
            return a != null ? a : DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
        } catch (RuntimeException e) {
            log.warn("resolver failed for {} {}", type, name, e);
            return DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
        }
    }

    /** An IPv4-mapped IPv6 address is the IPv4 address (RFC 4291 §2.5.5.2). */
    private static InetAddress normalize(InetAddress ip) {
        if (ip instanceof Inet6Address six) {
            byte[] b = six.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) mapped = b[i] == 0;
            if (mapped) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return ip;
    }
}
