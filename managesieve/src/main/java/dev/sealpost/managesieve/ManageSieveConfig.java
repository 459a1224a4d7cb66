package dev.sealpost.managesieve;

import dev.sealpost.core.io.CommandDeadline;
import dev.sealpost.core.net.ConnectionLimits;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.store.SieveScripts;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one ManageSieve listener (RFC 5804).
 *
 * @param bind                address and port to listen on (4190, RFC 5804 §1.8; port 0: any free port)
 * @param tls                 the server TLS kit for STARTTLS (ALPN "managesieve" is added), or null
 *                            for no TLS (then no STARTTLS and, unless {@code allowAuthWithoutTls},
 *                            no login at all); not the legacy profile
 * @param allowAuthWithoutTls allow AUTHENTICATE before TLS (default false; RFC 5804 §2.1 and
 *                            RFC 8314 §3 advise against it)
 * @param hostname            our host name, in the greeting's IMPLEMENTATION text and logs
 * @param idleTimeout         a session waiting longer than this for a command is closed with BYE
 * @param maxBadCommands      NO responses for client errors tolerated before BYE and close
 * @param quota               scripts per account and octets per script (QUOTA/MAXSCRIPTS, QUOTA/MAXSIZE)
 * @param connections         per-IP, rate and total connection limits, checked before a session exists
 * @param deadline            a command (with its literals) or SASL answer must arrive within this
 *                            from its first octet
 */
public record ManageSieveConfig(InetSocketAddress bind, ServerTls tls, boolean allowAuthWithoutTls, String hostname,
                                Duration idleTimeout, int maxBadCommands, SieveScripts.Quota quota,
                                ConnectionLimits connections, CommandDeadline.Settings deadline) {
    public static final int DEFAULT_PORT = 4190;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final int DEFAULT_MAX_BAD_COMMANDS = 10;
    /** 100 scripts of at most 1 MiB each, as Pigeonhole's defaults allow roughly. */
    public static final SieveScripts.Quota DEFAULT_QUOTA = new SieveScripts.Quota(100, 1 << 20);

    public ManageSieveConfig {
        Objects.requireNonNull(bind, "managesieve.listen: an address is required");
        if (tls != null && !tls.profile().allowedOn(false)) {
            throw new IllegalArgumentException("managesieve: the " + tls.profile().configName() + " TLS profile is only allowed on the SMTP MX listener");
        }
        // RFC 7301 §3.1: "managesieve" from the IANA ALPN registry; another protocol is refused (ALPACA)
        if (tls != null && !tls.alpn().equals(List.of("managesieve"))) tls = tls.withAlpn("managesieve");
        if (hostname == null || hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("managesieve: hostname must be a host name");
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxBadCommands < 1) throw new IllegalArgumentException("managesieve: max bad commands must be at least 1");
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(deadline, "deadline");
    }

    /** A listener with the defaults: login only over TLS, 30 minute idle timeout, the default quota and limits. */
    public static ManageSieveConfig of(InetSocketAddress bind, ServerTls tls, String hostname) {
        return new ManageSieveConfig(bind, tls, false, hostname, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_BAD_COMMANDS, DEFAULT_QUOTA,
                ConnectionLimits.defaults(), CommandDeadline.Settings.defaults());
    }

    public ManageSieveConfig withAllowAuthWithoutTls(boolean v) {
        return new ManageSieveConfig(bind, tls, v, hostname, idleTimeout, maxBadCommands, quota, connections, deadline);
    }

    public ManageSieveConfig withQuota(SieveScripts.Quota q) {
        return new ManageSieveConfig(bind, tls, allowAuthWithoutTls, hostname, idleTimeout, maxBadCommands, q, connections, deadline);
    }

    public ManageSieveConfig withConnections(ConnectionLimits c) {
        return new ManageSieveConfig(bind, tls, allowAuthWithoutTls, hostname, idleTimeout, maxBadCommands, quota, c, deadline);
    }

    public ManageSieveConfig withDeadline(CommandDeadline.Settings d) {
        return new ManageSieveConfig(bind, tls, allowAuthWithoutTls, hostname, idleTimeout, maxBadCommands, quota, connections, d);
    }

    public ManageSieveConfig withIdleTimeout(Duration d) {
        return new ManageSieveConfig(bind, tls, allowAuthWithoutTls, hostname, d, maxBadCommands, quota, connections, deadline);
    }
}
