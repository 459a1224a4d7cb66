package dev.sealpost.core.net.dial;

import java.net.InetAddress;
import java.util.List;

/**
 * Host name → addresses, for every outbound connection the server makes. The one production
 * implementation ({@code dev.sealpost.dns.DnsHostResolver}) asks the configured DNS resolver;
 * nothing in Sealpost asks the JVM's system resolver ({@code InetAddress.getByName}) for a
 * name (ADR 0006). Implementations are thread-safe, bound their time, and never throw for DNS
 * outcomes: those are {@link Lookup} values.
 */
@FunctionalInterface
public interface HostResolver {
    /** The outcome of one look-up. */
    sealed interface Lookup permits Found, NotFound, TempFail {}

    /**
     * The addresses to try, in order (at least one).
     *
     * @param authentic all answers used were DNSSEC-validated (literals count as authentic)
     */
    record Found(List<InetAddress> addresses, boolean authentic) implements Lookup {
        public Found {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) throw new IllegalArgumentException("no addresses");
        }
    }

    /** The name does not exist, or has no address records, or is not a valid host name: permanent. */
    record NotFound(String reason) implements Lookup {}

    /** DNS trouble (SERVFAIL, timeout) and no address found: try later. */
    record TempFail(String reason) implements Lookup {}

    /** Looks up a host name (A-label or U-label form, trailing dot allowed) or an IP literal. */
    Lookup lookup(String host);

    /** Only IP literals; every name is {@link NotFound}. For tools and tests that must not use DNS. */
    HostResolver LITERALS_ONLY = host -> {
        InetAddress a = Dialer.literal(host);
        return a != null ? new Found(List.of(a), true) : new NotFound(host + ": names are not resolved here");
    };
}
