package dev.sealpost.pop3;

import dev.sealpost.core.io.CommandDeadline;
import dev.sealpost.core.net.ConnectionLimits;
import dev.sealpost.core.tls.ServerTls;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one POP3 listener.
 *
 * @param bind                          address and port to listen on (port 0: any free port)
 * @param implicitTls                   TLS from the first byte (POP3S, port 995, RFC 8314 §3.3);
 *                                      needs {@code tls}
 * @param tls                           the server TLS kit (context and profile; ALPN "pop3" is added), or
 *                                      null for no TLS (then no STLS and, unless
 *                                      {@code allowAuthWithoutTls}, no login at all); not the
 *                                      legacy profile, which is for the SMTP MX only
 * @param allowAuthWithoutTls  allow USER/PASS and AUTH before TLS (default false;
 *                                      RFC 8314 §3, RFC 2595 §2.1 advise against it)
 * @param hostname                      our host name, announced in the greeting
 * @param idleTimeout                   autologout timer: at least 10 minutes (RFC 1939 §3)
 * @param maxLineLength                 longest command line in octets without CRLF; at least 255
 *                                      (RFC 2449 §4: commands are at most 255 octets with CRLF; we
 *                                      are lenient up to this bound). AUTH lines may always reach
 *                                      12288 octets (RFC 5034 §4).
 * @param maxBadCommands                -ERR responses for client errors tolerated before the
 *                                      session ends with {@code -ERR} and close
 * @param connections                   per-IP, rate and total connection limits, checked before a
 *                                      session is made (default {@link ConnectionLimits#defaults()})
 * @param deadline                      the per-command deadline: a command line (or SASL answer)
 *                                      must arrive within it from its first octet, else
 *                                      {@code -ERR} and close (default 5 minutes,
 *                                      {@link CommandDeadline.Settings#defaults()})
 */
public record Pop3ServerConfig(InetSocketAddress bind, boolean implicitTls, ServerTls tls,
                               boolean allowAuthWithoutTls, String hostname, Duration idleTimeout,
                               int maxLineLength, int maxBadCommands, ConnectionLimits connections,
                               CommandDeadline.Settings deadline) {

    /** RFC 1939 §3: "an autologout timer MUST be of at least 10 minutes' duration". */
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_LINE_LENGTH = 1024;
    public static final int DEFAULT_MAX_BAD_COMMANDS = 10;

    public Pop3ServerConfig {
        Objects.requireNonNull(bind, "pop3.bind: an address is required");
        if (implicitTls && tls == null) {
            throw new IllegalArgumentException("pop3.tls: an implicit-TLS (POP3S) listener needs a TLS context");
        }
        if (tls != null && !tls.profile().allowedOn(false)) {
            throw new IllegalArgumentException("pop3.tls: the " + tls.profile().configName() + " TLS profile is only allowed on the SMTP MX listener");
        }
        // RFC 7301 §3.1: "pop3" from the IANA ALPN registry; a client asking for another protocol is refused (ALPACA)
        if (tls != null && !tls.alpn().equals(java.util.List.of("pop3"))) tls = tls.withAlpn("pop3");
        if (hostname == null || hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("pop3.hostname: must be a host name");
        }
        if (idleTimeout == null || idleTimeout.compareTo(MIN_IDLE_TIMEOUT) < 0) {
            throw new IllegalArgumentException("pop3.idle_timeout: must be at least 10 minutes (RFC 1939 §3), got " + idleTimeout);
        }
        if (maxLineLength < 255 || maxLineLength > 65536) {
            throw new IllegalArgumentException("pop3.max_line_length: must be between 255 and 65536, got " + maxLineLength);
        }
        if (maxBadCommands < 1) {
            throw new IllegalArgumentException("pop3.max_bad_commands: must be at least 1, got " + maxBadCommands);
        }
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(deadline, "deadline");
    }

    /** With the default command deadline. */
    public Pop3ServerConfig(InetSocketAddress bind, boolean implicitTls, ServerTls tls, boolean allowAuthWithoutTls,
                            String hostname, Duration idleTimeout, int maxLineLength, int maxBadCommands, ConnectionLimits connections) {
        this(bind, implicitTls, tls, allowAuthWithoutTls, hostname, idleTimeout, maxLineLength, maxBadCommands, connections,
                CommandDeadline.Settings.defaults());
    }

    /** With the default connection limits. */
    public Pop3ServerConfig(InetSocketAddress bind, boolean implicitTls, ServerTls tls, boolean allowAuthWithoutTls,
                            String hostname, Duration idleTimeout, int maxLineLength, int maxBadCommands) {
        this(bind, implicitTls, tls, allowAuthWithoutTls, hostname, idleTimeout, maxLineLength, maxBadCommands,
                ConnectionLimits.defaults());
    }

    /**
     * A listener with the defaults: 10 minute idle timeout, 1024-octet lines, 10 bad commands,
     * plaintext login only over TLS.
     *
     * @param implicitTls POP3S (995) when true, POP3 with STLS (110) when false
     */
    public static Pop3ServerConfig of(InetSocketAddress bind, boolean implicitTls, SSLContext tls, String hostname) {
        return new Pop3ServerConfig(bind, implicitTls, tls == null ? null : ServerTls.of(tls), false, hostname, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_BAD_COMMANDS);
    }

    /** The same listener with another TLS kit (profile). */
    public Pop3ServerConfig withTls(ServerTls t) {
        return new Pop3ServerConfig(bind, implicitTls, t, allowAuthWithoutTls, hostname, idleTimeout, maxLineLength, maxBadCommands, connections, deadline);
    }

    public Pop3ServerConfig withAllowAuthWithoutTls(boolean v) {
        return new Pop3ServerConfig(bind, implicitTls, tls, v, hostname, idleTimeout, maxLineLength, maxBadCommands, connections, deadline);
    }

    public Pop3ServerConfig withIdleTimeout(Duration v) {
        return new Pop3ServerConfig(bind, implicitTls, tls, allowAuthWithoutTls, hostname, v, maxLineLength, maxBadCommands, connections, deadline);
    }

    public Pop3ServerConfig withMaxLineLength(int v) {
        return new Pop3ServerConfig(bind, implicitTls, tls, allowAuthWithoutTls, hostname, idleTimeout, v, maxBadCommands, connections, deadline);
    }

    public Pop3ServerConfig withMaxBadCommands(int v) {
        return new Pop3ServerConfig(bind, implicitTls, tls, allowAuthWithoutTls, hostname, idleTimeout, maxLineLength, v, connections, deadline);
    }

    public Pop3ServerConfig withDeadline(CommandDeadline.Settings d) {
        return new Pop3ServerConfig(bind, implicitTls, tls, allowAuthWithoutTls, hostname, idleTimeout, maxLineLength, maxBadCommands, connections, d);
    }

    public Pop3ServerConfig withConnections(ConnectionLimits c) {
        return new Pop3ServerConfig(bind, implicitTls, tls, allowAuthWithoutTls, hostname, idleTimeout, maxLineLength, maxBadCommands, c, deadline);
    }
}
