package dev.sealpost.queue;

import dev.sealpost.smtp.client.ClientSettings;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of the outbound queue ({@code [queue]} in the config file).
 *
 * @param hostname             our name: EHLO (RFC 5321 §4.1.1.1), DSN Reporting-MTA, the DSN sender address
 * @param mxPort               the port of MX hosts (25; tests use a fake MX's ephemeral port)
 * @param relay                a smarthost that takes all remote mail instead of MX routing, or null
 * @param relayUser            AUTH user towards the smarthost, or null for no AUTH
 * @param relayPassword        AUTH password (a secret: never logged), or null
 * @param transports           per-domain routes (lower-case A-label domain to host:port), before MX look-up
 * @param retry                the retry schedule (backoff, jitter, expiry)
 * @param delayWarning         age after which a delay DSN is sent once (RFC 3464 action "delayed")
 * @param concurrencyPerDomain most simultaneous connections to one destination domain
 * @param maxConnections       most simultaneous outbound connections overall
 * @param messagesPerConnection most messages sent over one connection before a new one is opened
 * @param pollInterval         how often the scheduler looks for due work when nothing wakes it
 * @param maxReturnedSize      largest original returned whole in a failure DSN; larger ones return headers only
 * @param client               SMTP client settings (timeouts, PKIX anchors)
 */
public record QueueSettings(String hostname, int mxPort, HostPort relay, String relayUser, char[] relayPassword,
                            Map<String, HostPort> transports, RetrySchedule retry, Duration delayWarning,
                            int concurrencyPerDomain, int maxConnections, int messagesPerConnection, Duration pollInterval,
                            long maxReturnedSize, ClientSettings client) {

    public QueueSettings {
        if (hostname == null || hostname.isBlank()) throw new IllegalArgumentException("hostname: required");
        if (mxPort < 1 || mxPort > 65535) throw new IllegalArgumentException("mxPort: 1..65535");
        if ((relayUser == null) != (relayPassword == null)) throw new IllegalArgumentException("relayUser and relayPassword go together");
        if (relayUser != null && relay == null) throw new IllegalArgumentException("relayUser needs a relay host");
        transports = Map.copyOf(transports == null ? Map.of() : transports);
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(delayWarning, "delayWarning");
        if (concurrencyPerDomain < 1) throw new IllegalArgumentException("concurrencyPerDomain: at least 1");
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections: at least 1");
        if (messagesPerConnection < 1) throw new IllegalArgumentException("messagesPerConnection: at least 1");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(client, "client");
    }

    /** Port 25, MX routing, the default retry schedule, delay DSN after 4 h, 4 connections per domain, 100 overall. */
    public static QueueSettings defaults(String hostname) {
        return new QueueSettings(hostname, 25, null, null, null, Map.of(), RetrySchedule.defaults(), Duration.ofHours(4),
                4, 100, 50, Duration.ofSeconds(5), 10L << 20, ClientSettings.defaults());
    }

    public QueueSettings withMxPort(int port) {
        return new QueueSettings(hostname, port, relay, relayUser, relayPassword, transports, retry, delayWarning,
                concurrencyPerDomain, maxConnections, messagesPerConnection, pollInterval, maxReturnedSize, client);
    }

    public QueueSettings withRelay(HostPort relay, String user, char[] password) {
        return new QueueSettings(hostname, mxPort, relay, user, password, transports, retry, delayWarning,
                concurrencyPerDomain, maxConnections, messagesPerConnection, pollInterval, maxReturnedSize, client);
    }

    public QueueSettings withTransports(Map<String, HostPort> t) {
        return new QueueSettings(hostname, mxPort, relay, relayUser, relayPassword, t, retry, delayWarning,
                concurrencyPerDomain, maxConnections, messagesPerConnection, pollInterval, maxReturnedSize, client);
    }

    public QueueSettings withRetry(RetrySchedule r) {
        return new QueueSettings(hostname, mxPort, relay, relayUser, relayPassword, transports, r, delayWarning,
                concurrencyPerDomain, maxConnections, messagesPerConnection, pollInterval, maxReturnedSize, client);
    }

    public QueueSettings withDelayWarning(Duration d) {
        return new QueueSettings(hostname, mxPort, relay, relayUser, relayPassword, transports, retry, d,
                concurrencyPerDomain, maxConnections, messagesPerConnection, pollInterval, maxReturnedSize, client);
    }

    public QueueSettings withConcurrencyPerDomain(int n) {
        return new QueueSettings(hostname, mxPort, relay, relayUser, relayPassword, transports, retry, delayWarning,
                n, maxConnections, messagesPerConnection, pollInterval, maxReturnedSize, client);
    }

    public QueueSettings withPollInterval(Duration d) {
        return new QueueSettings(hostname, mxPort, relay, relayUser, relayPassword, transports, retry, delayWarning,
                concurrencyPerDomain, maxConnections, messagesPerConnection, d, maxReturnedSize, client);
    }

    public QueueSettings withClient(ClientSettings c) {
        return new QueueSettings(hostname, mxPort, relay, relayUser, relayPassword, transports, retry, delayWarning,
                concurrencyPerDomain, maxConnections, messagesPerConnection, pollInterval, maxReturnedSize, c);
    }

    /** The transport rule for a domain, if any (exact match on the lower-case name). */
    HostPort transportFor(String domain) {
        return transports.get(domain.toLowerCase(Locale.ROOT));
    }

    /** Without the relay password. */
    @Override
    public String toString() {
        return "QueueSettings[" + hostname + ", mxPort=" + mxPort + ", relay=" + relay + (relayUser != null ? " as " + relayUser : "")
                + ", transports=" + transports + ", " + retry + ", delayWarning=" + delayWarning + ", perDomain=" + concurrencyPerDomain + "]";
    }

    /**
     * A host and port: a name (resolved through the queue's resolver) or an IP literal
     * ({@code 192.0.2.1}, {@code [2001:db8::1]}).
     */
    public record HostPort(String host, int port) {
        public HostPort {
            if (host == null || host.isBlank()) throw new IllegalArgumentException("host: required");
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port: 1..65535");
        }

        /** Parses {@code host:port} or {@code [v6]:port}; without a port, {@code defaultPort}. */
        public static HostPort parse(String text, int defaultPort) {
            String t = text == null ? "" : text.strip();
            if (t.isEmpty()) throw new IllegalArgumentException("expected host:port, got an empty value");
            if (t.startsWith("[")) {
                int close = t.indexOf(']');
                if (close < 0) throw new IllegalArgumentException("expected [address]:port, got '" + text + "'");
                String rest = t.substring(close + 1);
                if (rest.isEmpty()) return new HostPort(t.substring(1, close), defaultPort);
                if (!rest.startsWith(":")) throw new IllegalArgumentException("expected [address]:port, got '" + text + "'");
                return new HostPort(t.substring(1, close), port(rest.substring(1), text));
            }
            int colon = t.lastIndexOf(':');
            if (colon < 0) return new HostPort(t, defaultPort);
            if (t.indexOf(':') != colon) throw new IllegalArgumentException("write IPv6 addresses as [address]:port, got '" + text + "'");
            if (colon == 0) throw new IllegalArgumentException("expected host:port, got '" + text + "'");
            return new HostPort(t.substring(0, colon), port(t.substring(colon + 1), text));
        }

        private static int port(String p, String text) {
            try {
                int v = Integer.parseInt(p);
                if (v < 1 || v > 65535) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a port from 1 to 65535 in '" + text + "'");
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
