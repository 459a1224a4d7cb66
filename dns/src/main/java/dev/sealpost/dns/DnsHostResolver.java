package dev.sealpost.dns;

import dev.sealpost.core.mail.Domain;
import dev.sealpost.core.net.dial.Dialer;
import dev.sealpost.core.net.dial.HostResolver;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link HostResolver} on a {@link Resolver}: the configured DNS, never the JVM's system resolver
 * (ADR 0006). IP literals are taken as they are; a name is asked for AAAA and A (RFC 3596, RFC
 * 1035), and its addresses are ordered IPv6 first, then IPv4, each in the order received (as
 * RFC 5321 §5.1 MX delivery has always done here; a host unreachable over one family is tried
 * over the other). NXDOMAIN or no address records is {@link HostResolver.NotFound}; SERVFAIL or a
 * timeout with no address from the other family is {@link HostResolver.TempFail}; one family's
 * failure with the other's addresses is {@link HostResolver.Found} (the addresses we have are
 * worth a try). Time: two look-ups, each bounded by the resolver. Thread-safe.
 */
public final class DnsHostResolver implements HostResolver {
    private final Resolver resolver;

    public DnsHostResolver(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public Resolver resolver() {
        return resolver;
    }

    @Override
    public Lookup lookup(String host) {
        if (host == null || host.isEmpty()) return new NotFound("empty host name");
        InetAddress literal = Dialer.literal(host);
        if (literal != null) return new Found(List.of(literal), true);
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        Optional<String> ascii = Domain.toAscii(h);
        // RFC 1123 §2.1 host names (A-labels after IDNA, RFC 5890); anything else never reaches DNS
        if (ascii.isEmpty()) return new NotFound("not a host name: " + host);
        String name = ascii.get().toLowerCase(Locale.ROOT);
        DnsAnswer<InetAddress> v6 = resolver.aaaa(name);
        DnsAnswer<InetAddress> v4 = resolver.a(name);
        List<InetAddress> out = new ArrayList<>(v6.records());
        out.addAll(v4.records());
        if (!out.isEmpty()) {
            // authentic only when both answers were validated (a failed one never is: RFC 4035 §4.3)
            return new Found(out, v6.authentic() && v4.authentic());
        }
        if (v6.temporaryFailure() || v4.temporaryFailure()) {
            return new TempFail("address look-up for " + name + " failed (AAAA " + v6.status() + ", A " + v4.status() + ")");
        }
        return new NotFound(v4.status() == DnsAnswer.Status.NXDOMAIN || v6.status() == DnsAnswer.Status.NXDOMAIN
                ? name + " does not exist (NXDOMAIN)" : name + " has no address records");
    }

    @Override
    public String toString() {
        return "DnsHostResolver[" + resolver + "]";
    }
}
