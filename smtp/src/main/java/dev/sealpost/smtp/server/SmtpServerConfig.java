package dev.sealpost.smtp.server;

import dev.sealpost.core.io.CommandDeadline;
import dev.sealpost.core.net.ConnectionLimits;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.tls.ServerTls;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one SMTP listener.
 *
 * @param serverName         our host name, announced in the greeting and EHLO (RFC 5321 §4.1.1.1)
 * @param kind               MX, SUBMISSION or SUBMISSIONS (implicit TLS, RFC 8314 §3.3)
 * @param bind               address and port to listen on (port 0: any free port)
 * @param tls                the server TLS kit (context and profile), or null for no TLS (then no
 *                           STARTTLS); required for SUBMISSIONS; the legacy profile only on MX
 * @param mechanisms         SASL mechanisms offered (ignored on MX, which never offers AUTH)
 * @param allowAuthWithoutTls allow AUTH, with every mechanism, before TLS (default false;
 *                           RFC 8314 §3 and RFC 4954 §4 advise against it; the rule is
 *                           {@code core.login.LoginPolicy#mayAuthenticate})
 * @param authRequired       MAIL needs a successful AUTH first (submission, RFC 6409 §4.3)
 * @param limits             the session limits
 * @param connections        per-IP, rate and total connection limits, checked before a session
 *                           is made (default {@link ConnectionLimits#defaults()})
 */
public record SmtpServerConfig(String serverName, ListenerKind kind, InetSocketAddress bind, ServerTls tls,
                               List<SaslMechanism> mechanisms, boolean allowAuthWithoutTls, boolean authRequired,
                               Limits limits, ConnectionLimits connections) {

    public SmtpServerConfig {
        if (serverName == null || serverName.isBlank()) throw new IllegalArgumentException("serverName: must be a host name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bind, "bind");
        if (kind == ListenerKind.SUBMISSIONS && tls == null) {
            throw new IllegalArgumentException("tls: a SUBMISSIONS (implicit TLS) listener needs a TLS context");
        }
        if (tls != null && !tls.profile().allowedOn(kind == ListenerKind.MX)) {
            // CBC suites only where the alternative is cleartext: senders to the MX (RFC 3207 §4)
            throw new IllegalArgumentException("tls: the " + tls.profile().configName() + " TLS profile is only allowed on the MX listener");
        }
        mechanisms = List.copyOf(mechanisms == null ? List.of() : mechanisms);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(connections, "connections");
    }

    /** With the default connection limits. */
    public SmtpServerConfig(String serverName, ListenerKind kind, InetSocketAddress bind, ServerTls tls,
                            List<SaslMechanism> mechanisms, boolean allowAuthWithoutTls, boolean authRequired, Limits limits) {
        this(serverName, kind, bind, tls, mechanisms, allowAuthWithoutTls, authRequired, limits, ConnectionLimits.defaults());
    }

    /** An MX listener with default limits and the default TLS profile (intermediate). */
    public static SmtpServerConfig mx(String serverName, InetSocketAddress bind, SSLContext tls) {
        return new SmtpServerConfig(serverName, ListenerKind.MX, bind, tls == null ? null : ServerTls.of(tls), List.of(), false, false,
                Limits.defaults());
    }

    /**
     * A submission listener (STARTTLS on 587 or implicit TLS on 465) with AUTH required, default
     * limits and the default TLS profile (intermediate).
     */
    public static SmtpServerConfig submission(String serverName, ListenerKind kind, InetSocketAddress bind, SSLContext tls,
                                              List<SaslMechanism> mechanisms) {
        return new SmtpServerConfig(serverName, kind, bind, tls == null ? null : ServerTls.of(tls), mechanisms, false, true,
                Limits.defaults());
    }

    public SmtpServerConfig withLimits(Limits l) {
        return new SmtpServerConfig(serverName, kind, bind, tls, mechanisms, allowAuthWithoutTls, authRequired, l, connections);
    }

    public SmtpServerConfig withConnections(ConnectionLimits c) {
        return new SmtpServerConfig(serverName, kind, bind, tls, mechanisms, allowAuthWithoutTls, authRequired, limits, c);
    }

    /**
     * Session limits. Every input is bounded; each limit has its own reply.
     *
     * @param maxLineLength  longest command or text line in octets without CRLF. RFC 5321
     *                       §4.5.3.1.4 and §4.5.3.1.6 set minimums of 512 (command) and 1000
     *                       (text line incl. CRLF); we are lenient up to this bound and refuse
     *                       beyond it. AUTH lines may always reach 12288 octets (RFC 4954 §4).
     * @param maxMessageSize most content octets of one message (announced with SIZE, RFC 1870)
     * @param maxRecipients  most RCPTs per transaction (RFC 5321 §4.5.3.1.8: at least 100)
     * @param maxErrors      permanent-error replies tolerated before {@code 421} and close
     * @param idleTimeout    waiting for a command (RFC 5321 §4.5.3.2.7: at least 5 minutes)
     * @param dataTimeout    waiting for data inside DATA/BDAT (RFC 5321 §4.5.3.2.6: 3 minutes minimum per block)
     * @param maxHeaderSize  most octets of a message's header section (RFC 5322 §2.1: up to the
     *                       first empty line), DATA and BDAT alike; more gets {@code 552 5.3.4}
     * @param maxHeaderFields most header fields (lines not starting with white space) in it
     * @param deadline       the per-command deadline ({@link CommandDeadline}): a command line,
     *                       an AUTH answer, the DATA content or a BDAT command with its chunk
     *                       must arrive within it, else {@code 421 4.4.2} and close
     */
    public record Limits(int maxLineLength, long maxMessageSize, int maxRecipients, int maxErrors,
                         Duration idleTimeout, Duration dataTimeout, int maxHeaderSize, int maxHeaderFields,
                         CommandDeadline.Settings deadline) {
        public Limits {
            if (maxLineLength < 1) throw new IllegalArgumentException("maxLineLength: must be positive");
            if (maxMessageSize < 1) throw new IllegalArgumentException("maxMessageSize: must be positive");
            if (maxRecipients < 1) throw new IllegalArgumentException("maxRecipients: must be positive");
            if (maxErrors < 0) throw new IllegalArgumentException("maxErrors: must not be negative");
            if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idleTimeout: must be positive");
            if (dataTimeout == null || dataTimeout.isNegative() || dataTimeout.isZero()) throw new IllegalArgumentException("dataTimeout: must be positive");
            if (maxHeaderSize < 1) throw new IllegalArgumentException("maxHeaderSize: must be positive");
            if (maxHeaderFields < 1) throw new IllegalArgumentException("maxHeaderFields: must be positive");
            Objects.requireNonNull(deadline, "deadline");
        }

        /** With the default header limits and deadline. */
        public Limits(int maxLineLength, long maxMessageSize, int maxRecipients, int maxErrors, Duration idleTimeout, Duration dataTimeout) {
            this(maxLineLength, maxMessageSize, maxRecipients, maxErrors, idleTimeout, dataTimeout,
                    DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_HEADER_FIELDS, CommandDeadline.Settings.defaults());
        }

        /**
         * 1 MiB of header section: Postfix keeps 100 KiB per header field (header_size_limit) and
         * truncates; a whole section of 1 MiB holds ten such fields and is what the parsers
         * downstream read whole (auth.AuthMessage, inbound.HeaderFilter: 1 MiB each).
         */
        public static final int DEFAULT_MAX_HEADER_SIZE = 1024 * 1024;
        /** 1000 header fields, as auth.AuthMessage reads (real mail has 20-100; long relay chains a few hundred). */
        public static final int DEFAULT_MAX_HEADER_FIELDS = 1000;

        /** 4096-octet lines, 35 MiB messages, 100 recipients, 10 errors, 5 min idle, 10 min data, 1 MiB / 1000 header fields, 5 min per command. */
        public static Limits defaults() {
            return new Limits(4096, 35L * 1024 * 1024, 100, 10, Duration.ofMinutes(5), Duration.ofMinutes(10));
        }

        public Limits withMaxLineLength(int v) { return new Limits(v, maxMessageSize, maxRecipients, maxErrors, idleTimeout, dataTimeout, maxHeaderSize, maxHeaderFields, deadline); }
        public Limits withMaxMessageSize(long v) { return new Limits(maxLineLength, v, maxRecipients, maxErrors, idleTimeout, dataTimeout, maxHeaderSize, maxHeaderFields, deadline); }
        public Limits withMaxRecipients(int v) { return new Limits(maxLineLength, maxMessageSize, v, maxErrors, idleTimeout, dataTimeout, maxHeaderSize, maxHeaderFields, deadline); }
        public Limits withMaxErrors(int v) { return new Limits(maxLineLength, maxMessageSize, maxRecipients, v, idleTimeout, dataTimeout, maxHeaderSize, maxHeaderFields, deadline); }
        public Limits withIdleTimeout(Duration v) { return new Limits(maxLineLength, maxMessageSize, maxRecipients, maxErrors, v, dataTimeout, maxHeaderSize, maxHeaderFields, deadline); }
        public Limits withDataTimeout(Duration v) { return new Limits(maxLineLength, maxMessageSize, maxRecipients, maxErrors, idleTimeout, v, maxHeaderSize, maxHeaderFields, deadline); }
        public Limits withHeaderLimits(int size, int fields) { return new Limits(maxLineLength, maxMessageSize, maxRecipients, maxErrors, idleTimeout, dataTimeout, size, fields, deadline); }
        public Limits withDeadline(CommandDeadline.Settings v) { return new Limits(maxLineLength, maxMessageSize, maxRecipients, maxErrors, idleTimeout, dataTimeout, maxHeaderSize, maxHeaderFields, v); }
    }
}
