package dev.sealpost.imap.server;

import dev.sealpost.core.net.ConnectionLimits;
import dev.sealpost.core.tls.ServerTls;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one IMAP listener.
 *
 * @param bind                          address and port to listen on (port 0: any free port)
 * @param implicitTls                   true for IMAPS (port 993, RFC 8314 §3.3): TLS from the first octet
 * @param tls                           server TLS kit (context and profile; ALPN "imap" is added), or null (then no
 *                                      STARTTLS and no implicit TLS); not the legacy profile, which is for the MX only
 * @param allowAuthWithoutTls  allow LOGIN and AUTHENTICATE (every mechanism) on a cleartext connection (default false; tests, localhost)
 * @param hostname                      the server's name, for logs and the greeting
 * @param limits                        size, count and time limits
 * @param connections                   per-IP, rate and total connection limits, checked before a
 *                                      session is made (default {@link ConnectionLimits#defaults()})
 */
public record ImapServerConfig(InetSocketAddress bind, boolean implicitTls, ServerTls tls,
                               boolean allowAuthWithoutTls, String hostname, Limits limits,
                               ConnectionLimits connections) {

    public ImapServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(connections, "connections");
        if (implicitTls && tls == null) throw new IllegalArgumentException("implicitTls needs an SSLContext");
        if (tls != null && !tls.profile().allowedOn(false)) {
            throw new IllegalArgumentException("tls: the " + tls.profile().configName() + " TLS profile is only allowed on the SMTP MX listener");
        }
        // RFC 7301 §3.1: "imap" from the IANA ALPN registry; a client asking for another protocol is refused (ALPACA)
        if (tls != null && !tls.alpn().equals(java.util.List.of("imap"))) tls = tls.withAlpn("imap");
    }

    /** With the default connection limits. */
    public ImapServerConfig(InetSocketAddress bind, boolean implicitTls, ServerTls tls,
                            boolean allowAuthWithoutTls, String hostname, Limits limits) {
        this(bind, implicitTls, tls, allowAuthWithoutTls, hostname, limits, ConnectionLimits.defaults());
    }

    /**
     * A listener on {@code bind} with default limits, the default TLS profile (intermediate) and no
     * authentication before TLS.
     */
    public static ImapServerConfig of(InetSocketAddress bind, boolean implicitTls, SSLContext tls, String hostname) {
        return new ImapServerConfig(bind, implicitTls, tls == null ? null : ServerTls.of(tls), false, hostname, Limits.defaults());
    }

    /** The same listener with another TLS kit (profile). */
    public ImapServerConfig withTls(ServerTls t) {
        return new ImapServerConfig(bind, implicitTls, t, allowAuthWithoutTls, hostname, limits, connections);
    }

    /**
     * @param maxCommandBytes      longest command line, literals excluded (RFC 9051 §4 has no limit; RFC 7162 §4 asks for at least 8192)
     * @param maxLiteralBytes      largest literal outside APPEND
     * @param maxAppendBytes       largest message APPEND accepts (RFC 7889 APPENDLIMIT)
     * @param maxConnectionsPerAccount authenticated sessions of one account at once
     * @param maxBadCommands       BAD replies after which the session ends with BYE
     * @param idleTimeout          inactivity before autologout when authenticated (RFC 9051 §5.4: at least 30 minutes)
     * @param preAuthTimeout       inactivity before autologout when not yet authenticated
     * @param pollInterval         how often IDLE re-reads the mailbox (changes made on other nodes)
     * @param deadline             how long one command (with its literals) may take to arrive from its first octet
     *                             (drip-fed clients; {@code imap.command_deadline_seconds})
     * @param maxHeaderBytes       most octets of an APPENDed message's header section (RFC 5322 §2.1;
     *                             {@code imap.max_header_size}); past it {@code NO [TOOBIG]} (RFC 5530)
     * @param maxHeaderFields      most header fields in it ({@code imap.max_header_fields}); past it {@code NO [LIMIT]}
     * @param maxMailboxes         most mailboxes of one account ({@code imap.max_mailboxes}); a CREATE past it gets {@code NO [LIMIT]}
     * @param maxKeywords          most distinct keywords in one mailbox ({@code imap.max_keywords}); a STORE or APPEND that
     *                             would add one past it gets {@code NO [LIMIT]}, and PERMANENTFLAGS drops {@code \*}
     */
    public record Limits(int maxCommandBytes, long maxLiteralBytes, long maxAppendBytes, int maxConnectionsPerAccount,
                         int maxBadCommands, Duration idleTimeout, Duration preAuthTimeout,
                         Duration pollInterval, dev.sealpost.core.io.CommandDeadline.Settings deadline,
                         int maxHeaderBytes, int maxHeaderFields, int maxMailboxes, int maxKeywords) {
        /** 1 MiB and 1,000 fields, as SMTP's {@code smtp.max_header_size} and {@code smtp.max_header_fields}. */
        public static final int DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;
        public static final int DEFAULT_MAX_HEADER_FIELDS = 1000;
        /** Mailboxes of one account: far above real use (Gmail allows 10,000 labels), far below what hurts LIST. */
        public static final int DEFAULT_MAX_MAILBOXES = 10_000;
        /** Keywords of one mailbox: Thunderbird's tags and the registered $-keywords need a few dozen. */
        public static final int DEFAULT_MAX_KEYWORDS = 256;

        /** As the canonical constructor, with the default header limits. */
        public Limits(int maxCommandBytes, long maxLiteralBytes, long maxAppendBytes, int maxConnectionsPerAccount,
                      int maxBadCommands, Duration idleTimeout, Duration preAuthTimeout, Duration pollInterval,
                      dev.sealpost.core.io.CommandDeadline.Settings deadline) {
            this(maxCommandBytes, maxLiteralBytes, maxAppendBytes, maxConnectionsPerAccount, maxBadCommands, idleTimeout,
                    preAuthTimeout, pollInterval, deadline, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_FIELDS, DEFAULT_MAX_MAILBOXES,
                    DEFAULT_MAX_KEYWORDS);
        }

        /** As the canonical constructor, with the default per-command deadline and header limits. */
        public Limits(int maxCommandBytes, long maxLiteralBytes, long maxAppendBytes, int maxConnectionsPerAccount,
                      int maxBadCommands, Duration idleTimeout, Duration preAuthTimeout, Duration pollInterval) {
            this(maxCommandBytes, maxLiteralBytes, maxAppendBytes, maxConnectionsPerAccount, maxBadCommands, idleTimeout,
                    preAuthTimeout, pollInterval, dev.sealpost.core.io.CommandDeadline.Settings.defaults());
        }

        public Limits {
            if (maxCommandBytes < 8192) throw new IllegalArgumentException("maxCommandBytes must be >= 8192 (RFC 7162 §4)");
            if (maxLiteralBytes < 1 || maxAppendBytes < 1) throw new IllegalArgumentException("literal limits must be > 0");
            if (maxConnectionsPerAccount < 1) throw new IllegalArgumentException("maxConnectionsPerAccount must be > 0");
            if (maxBadCommands < 1) throw new IllegalArgumentException("maxBadCommands must be > 0");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(preAuthTimeout, "preAuthTimeout");
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (!pollInterval.isPositive()) throw new IllegalArgumentException("pollInterval must be > 0");
            Objects.requireNonNull(deadline, "deadline");
            if (maxHeaderBytes < 1 || maxHeaderFields < 1) throw new IllegalArgumentException("header limits must be > 0");
            if (maxMailboxes < 1) throw new IllegalArgumentException("maxMailboxes must be > 0");
            if (maxKeywords < 0) throw new IllegalArgumentException("maxKeywords must be >= 0");
        }

        /** 64 KiB commands, 1 MiB literals, 50 MiB messages, 20 per account, 20 bad commands, 30 min / 60 s, 5 s poll. */
        public static Limits defaults() {
            return new Limits(64 * 1024, 1024 * 1024, 50L * 1024 * 1024, 20, 20,
                    Duration.ofMinutes(30), Duration.ofSeconds(60), Duration.ofSeconds(5));
        }

        public Limits withTimeouts(Duration idle, Duration preAuth) {
            return new Limits(maxCommandBytes, maxLiteralBytes, maxAppendBytes, maxConnectionsPerAccount,
                    maxBadCommands, idle, preAuth, pollInterval, deadline, maxHeaderBytes, maxHeaderFields, maxMailboxes, maxKeywords);
        }

        /** Connections per IP address: see {@link ImapServerConfig#connections()}. */
        public Limits withMaxConnectionsPerAccount(int perAccount) {
            return new Limits(maxCommandBytes, maxLiteralBytes, maxAppendBytes, perAccount, maxBadCommands,
                    idleTimeout, preAuthTimeout, pollInterval, deadline, maxHeaderBytes, maxHeaderFields, maxMailboxes, maxKeywords);
        }

        public Limits withSizes(int command, long literal, long append) {
            return new Limits(command, literal, append, maxConnectionsPerAccount, maxBadCommands,
                    idleTimeout, preAuthTimeout, pollInterval, deadline, maxHeaderBytes, maxHeaderFields, maxMailboxes, maxKeywords);
        }

        public Limits withPollInterval(Duration poll) {
            return new Limits(maxCommandBytes, maxLiteralBytes, maxAppendBytes, maxConnectionsPerAccount,
                    maxBadCommands, idleTimeout, preAuthTimeout, poll, deadline, maxHeaderBytes, maxHeaderFields, maxMailboxes, maxKeywords);
        }

        /** The per-command deadline ({@code imap.command_deadline_seconds}). */
        public Limits withDeadline(dev.sealpost.core.io.CommandDeadline.Settings d) {
            return new Limits(maxCommandBytes, maxLiteralBytes, maxAppendBytes, maxConnectionsPerAccount,
                    maxBadCommands, idleTimeout, preAuthTimeout, pollInterval, d, maxHeaderBytes, maxHeaderFields, maxMailboxes, maxKeywords);
        }

        /** The bound on an APPENDed message's header section ({@code imap.max_header_size}, {@code imap.max_header_fields}). */
        public Limits withHeaderLimits(int bytes, int fields) {
            return new Limits(maxCommandBytes, maxLiteralBytes, maxAppendBytes, maxConnectionsPerAccount,
                    maxBadCommands, idleTimeout, preAuthTimeout, pollInterval, deadline, bytes, fields, maxMailboxes, maxKeywords);
        }

        /** Most distinct keywords in one mailbox ({@code imap.max_keywords}). */
        public Limits withMaxKeywords(int n) {
            return new Limits(maxCommandBytes, maxLiteralBytes, maxAppendBytes, maxConnectionsPerAccount,
                    maxBadCommands, idleTimeout, preAuthTimeout, pollInterval, deadline, maxHeaderBytes, maxHeaderFields, maxMailboxes, n);
        }

        /** Most mailboxes of one account ({@code imap.max_mailboxes}). */
        public Limits withMaxMailboxes(int n) {
            return new Limits(maxCommandBytes, maxLiteralBytes, maxAppendBytes, maxConnectionsPerAccount,
                    maxBadCommands, idleTimeout, preAuthTimeout, pollInterval, deadline, maxHeaderBytes, maxHeaderFields, n, maxKeywords);
        }
    }

    public ImapServerConfig withLimits(Limits l) {
        return new ImapServerConfig(bind, implicitTls, tls, allowAuthWithoutTls, hostname, l, connections);
    }

    public ImapServerConfig withPlaintextAuth(boolean allow) {
        return new ImapServerConfig(bind, implicitTls, tls, allow, hostname, limits, connections);
    }

    public ImapServerConfig withConnections(ConnectionLimits c) {
        return new ImapServerConfig(bind, implicitTls, tls, allowAuthWithoutTls, hostname, limits, c);
    }
}
