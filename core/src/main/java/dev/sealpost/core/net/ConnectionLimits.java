package dev.sealpost.core.net;

import java.net.InetAddress;
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
 */
public record ConnectionLimits(int maxConnectionsPerIp, int connectionRatePerIp, int maxConnections,
                               List<Cidr> exemptNetworks) {

    /** Postfix's {@code smtpd_client_connection_count_limit} default. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 50;
    /** Off, as Postfix's {@code smtpd_client_connection_rate_limit}. */
    public static final int DEFAULT_CONNECTION_RATE_PER_IP = 0;
    /**
     * Sessions of one listener at once: a bound on memory (each session holds buffers, and TLS
     * ones more) under a flood from many addresses.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 5000;

    public ConnectionLimits {
        if (maxConnectionsPerIp < 0) throw new IllegalArgumentException("maxConnectionsPerIp: must be >= 0 (0: no limit)");
        if (connectionRatePerIp < 0) throw new IllegalArgumentException("connectionRatePerIp: must be >= 0 (0: no limit)");
        if (maxConnections < 0) throw new IllegalArgumentException("maxConnections: must be >= 0 (0: no limit)");
        exemptNetworks = List.copyOf(Objects.requireNonNull(exemptNetworks, "exemptNetworks"));
    }

    /** 50 per IP, no rate limit, 5,000 in all, nothing exempt. */
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
        return new ConnectionLimits(v, connectionRatePerIp, maxConnections, exemptNetworks);
    }

    public ConnectionLimits withConnectionRatePerIp(int v) {
        return new ConnectionLimits(maxConnectionsPerIp, v, maxConnections, exemptNetworks);
    }

    public ConnectionLimits withMaxConnections(int v) {
        return new ConnectionLimits(maxConnectionsPerIp, connectionRatePerIp, v, exemptNetworks);
    }

    public ConnectionLimits withExemptNetworks(List<Cidr> v) {
        return new ConnectionLimits(maxConnectionsPerIp, connectionRatePerIp, maxConnections, v);
    }
}
