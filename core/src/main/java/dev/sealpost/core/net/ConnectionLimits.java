package dev.sealpost.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * The connection limits of one listener, enforced by {@link TcpListener} in its accept loop,
 * before any session is built. The defaults are defined here and only here; the TOML keys
 * ({@code <section>.max_connections_per_ip} and the others, see {@code conf/sealpost.toml}) map
 * onto the components one to one. 0 turns a limit off.
 *
 * <p>Postfix's anvil is the model: {@code smtpd_client_connection_count_limit} (default 50),
 * {@code smtpd_client_connection_rate_limit} (default 0, off, per 60 s time unit),
 * {@code smtpd_client_event_limit_exceptions}; the total cap plays the part of its process limit.
 *
 * @param maxConnectionsPerIp connections from one IP address at once (0: no limit)
 * @param connectionRatePerIp new connections accepted from one IP address per minute, as a token
 *                            bucket of that size refilled evenly over a minute, so bursts of up to
 *                            that many are allowed (0: no limit)
 * @param maxConnections      connections to this listener at once, exempt networks included
 *                            (0: no limit)
 * @param exemptNetworks      clients that neither the per-IP cap nor the rate applies to (the total
 *                            cap still does); loopback is not exempt unless listed
 * @param ipv6PrefixLength    how an IPv6 client is counted by the per-IP cap and rate: by its
 *                            network of this prefix length (default 64, one end site's LAN:
 *                            RFC 6177 §3 and RFC 7421, so one host cannot escape the cap by
 *                            cycling through the 2^64 addresses of its /64, RFC 8981 §3 privacy
 *                            addresses being one way); 128 counts each address; IPv4 clients are
 *                            always counted per address
 */
public record ConnectionLimits(int maxConnectionsPerIp, int connectionRatePerIp, int maxConnections,
                               List<Cidr> exemptNetworks, int ipv6PrefixLength) {

    /** Postfix's {@code smtpd_client_connection_count_limit} default. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 50;
    /** Off, as Postfix's {@code smtpd_client_connection_rate_limit}. */
    public static final int DEFAULT_CONNECTION_RATE_PER_IP = 0;
    /**
     * Sessions of one listener at once: a bound on memory (each session holds buffers, and TLS
     * ones more) under a flood from many addresses.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 5000;
    /** An IPv6 client is counted by its /64 (RFC 7421: the usual subnet size). */
    public static final int DEFAULT_IPV6_PREFIX_LENGTH = 64;

    /** With IPv6 clients counted by their /64. */
    public ConnectionLimits(int maxConnectionsPerIp, int connectionRatePerIp, int maxConnections, List<Cidr> exemptNetworks) {
        this(maxConnectionsPerIp, connectionRatePerIp, maxConnections, exemptNetworks, DEFAULT_IPV6_PREFIX_LENGTH);
    }

    public ConnectionLimits {
        if (maxConnectionsPerIp < 0) throw new IllegalArgumentException("maxConnectionsPerIp: must be >= 0 (0: no limit)");
        if (connectionRatePerIp < 0) throw new IllegalArgumentException("connectionRatePerIp: must be >= 0 (0: no limit)");
        if (maxConnections < 0) throw new IllegalArgumentException("maxConnections: must be >= 0 (0: no limit)");
        exemptNetworks = List.copyOf(Objects.requireNonNull(exemptNetworks, "exemptNetworks"));
        if (ipv6PrefixLength < 16 || ipv6PrefixLength > 128) {
            throw new IllegalArgumentException("ipv6PrefixLength: must be 16..128 (64: a /64 counts as one client; 128: each address)");
        }
    }

    /**
     * The key the per-IP cap and rate count {@code address} under: an IPv4 address itself (an
     * IPv4-mapped IPv6 address arrives as IPv4 from the JDK); an IPv6 address with the bits past
     * {@link #ipv6PrefixLength} cleared (the scope id dropped). Built from bytes: no DNS.
     */
    public InetAddress clientKey(InetAddress address) {
        if (!(address instanceof Inet6Address) || ipv6PrefixLength >= 128) return address;
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, ipv6PrefixLength - i * 8));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 octets are always an address", e);
        }
    }

    /** 50 per IP (IPv6: per /64), no rate limit, 5,000 in all, nothing exempt. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_MAX_CONNECTIONS_PER_IP, DEFAULT_CONNECTION_RATE_PER_IP, DEFAULT_MAX_CONNECTIONS, List.of());
    }

    /** No limit at all (tests, benchmarks). */
    public static ConnectionLimits none() {
        return new ConnectionLimits(0, 0, 0, List.of());
    }

    /** True when {@code address} is in one of the exempt networks. */
    public boolean exempt(InetAddress address) {
        for (Cidr c : exemptNetworks) {
            if (c.contains(address)) return true;
        }
        return false;
    }

    public ConnectionLimits withMaxConnectionsPerIp(int v) {
        return new ConnectionLimits(v, connectionRatePerIp, maxConnections, exemptNetworks, ipv6PrefixLength);
    }

    public ConnectionLimits withConnectionRatePerIp(int v) {
        return new ConnectionLimits(maxConnectionsPerIp, v, maxConnections, exemptNetworks, ipv6PrefixLength);
    }

    public ConnectionLimits withMaxConnections(int v) {
        return new ConnectionLimits(maxConnectionsPerIp, connectionRatePerIp, v, exemptNetworks, ipv6PrefixLength);
    }

    public ConnectionLimits withExemptNetworks(List<Cidr> v) {
        return new ConnectionLimits(maxConnectionsPerIp, connectionRatePerIp, maxConnections, v, ipv6PrefixLength);
    }

    /** IPv6 clients counted by their network of this prefix length (128: per address). */
    public ConnectionLimits withIpv6PrefixLength(int v) {
        return new ConnectionLimits(maxConnectionsPerIp, connectionRatePerIp, maxConnections, exemptNetworks, v);
    }
}
