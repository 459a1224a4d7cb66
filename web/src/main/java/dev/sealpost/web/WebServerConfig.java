package dev.sealpost.web;

import dev.sealpost.core.mail.Domain;
import dev.sealpost.core.tls.ServerTls;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the HTTP(S) listener ({@link WebServer}).
 *
 * @param httpAddress  where plain HTTP listens (autoconfig, health), or null for none
 * @param httpsAddress where HTTPS listens (MTA-STS policy, autoconfig, health), or null for none
 * @param tls          the server TLS kit for HTTPS (its certificate must cover {@code mta-sts.<domain>} of every
 *                     local domain that publishes MTA-STS); required when {@code httpsAddress} is set; ALPN
 *                     "http/1.1" is added; not the legacy profile
 * @param hostname     the server's public host name (A-label, lower case): the default MX pattern and client host
 * @param mtaStsMode   the policy mode served (RFC 8461 §5)
 * @param mtaStsMx     the policy's {@code mx} patterns (RFC 8461 §3.2; a leading {@code *.} is a wildcard label);
 *                     normalised to A-labels in lower case, duplicates dropped; empty means the host name
 * @param mtaStsMaxAge the policy's {@code max_age} in seconds (RFC 8461 §3.2: at most 31557600)
 * @param clients      the servers advertised to mail clients in autoconfig
 * @param maxInFlight  requests handled at once on both listeners together ({@code web.max_requests_in_flight});
 *                     one more is answered {@code 503} with {@code Retry-After} at once instead of waiting
 */
public record WebServerConfig(InetSocketAddress httpAddress, InetSocketAddress httpsAddress, ServerTls tls,
                              String hostname, MtaStsMode mtaStsMode, List<String> mtaStsMx, long mtaStsMaxAge,
                              ClientEndpoints clients, int maxInFlight) {

    /** Requests in flight by default: far more than MTA-STS fetches, autoconfig and scrapes need. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    /** Seconds a client is asked to wait in a 503's Retry-After (RFC 9110 §10.2.3). */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** With the default number of requests in flight. */
    public WebServerConfig(InetSocketAddress httpAddress, InetSocketAddress httpsAddress, ServerTls tls,
                           String hostname, MtaStsMode mtaStsMode, List<String> mtaStsMx, long mtaStsMaxAge,
                           ClientEndpoints clients) {
        this(httpAddress, httpsAddress, tls, hostname, mtaStsMode, mtaStsMx, mtaStsMaxAge, clients, DEFAULT_MAX_IN_FLIGHT);
    }

    /** RFC 8461 §3.2: max_age is at most 31557600 seconds (about one year). */
    public static final long MAX_MAX_AGE = 31_557_600L;
    /** One week, the max_age we recommend (RFC 8461 §3.2 suggests weeks or longer). */
    public static final long DEFAULT_MAX_AGE = 604_800L;

    /** RFC 8461 §5: the policy modes. */
    public enum MtaStsMode {
        ENFORCE, TESTING, NONE;

        /** The token in the policy file ({@code enforce}, {@code testing}, {@code none}). */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode for a config value (case-insensitive), or empty. */
        public static Optional<MtaStsMode> of(String token) {
            if (token == null) return Optional.empty();
            for (MtaStsMode m : values()) {
                if (m.token().equalsIgnoreCase(token.strip())) return Optional.of(m);
            }
            return Optional.empty();
        }
    }

    /**
     * The mail servers advertised to clients; a port of 0 leaves that server out.
     *
     * @param host        host name clients connect to
     * @param imaps       IMAP over implicit TLS (993)
     * @param imap        IMAP with STARTTLS (143)
     * @param pop3s       POP3 over implicit TLS (995)
     * @param submissions submission over implicit TLS (465, RFC 8314 §3.3)
     * @param submission  submission with STARTTLS (587, RFC 6409)
     * @param managesieve ManageSieve with STARTTLS (4190, RFC 5804 §1.8)
     */
    public record ClientEndpoints(String host, int imaps, int imap, int pop3s, int submissions, int submission, int managesieve) {
        public ClientEndpoints {
            host = checkHost(host, "clients.host");
            for (int p : new int[]{imaps, imap, pop3s, submissions, submission, managesieve}) {
                if (p < 0 || p > 65535) throw new IllegalArgumentException("client port out of range: " + p);
            }
        }

        /** Without ManageSieve. */
        public ClientEndpoints(String host, int imaps, int imap, int pop3s, int submissions, int submission) {
            this(host, imaps, imap, pop3s, submissions, submission, 0);
        }

        /** The standard ports (RFC 8314, RFC 6409, RFC 5804) on {@code host}. */
        public static ClientEndpoints standard(String host) {
            return new ClientEndpoints(host, 993, 143, 995, 465, 587, 4190);
        }
    }

    public WebServerConfig {
        hostname = checkHost(hostname, "hostname");
        Objects.requireNonNull(mtaStsMode, "mtaStsMode");
        Objects.requireNonNull(clients, "clients");
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be > 0, got " + maxInFlight);
        if (httpsAddress != null && tls == null) throw new IllegalArgumentException("HTTPS needs an SSLContext");
        if (tls != null && !tls.profile().allowedOn(false)) {
            throw new IllegalArgumentException("tls: the " + tls.profile().configName() + " TLS profile is only allowed on the SMTP MX listener");
        }
        // RFC 7301 §3.1 / RFC 9325 §3.8: the JDK's HttpsServer speaks HTTP/1.1 only; a client asking for
        // another protocol alone is refused
        // (RFC 8737 §6.2: "acme-tls/1" after it is kept, for TLS-ALPN-01 validations while an ACME order is pending)
        if (tls != null && !tls.alpn().equals(List.of("http/1.1")) && !tls.alpn().equals(List.of("http/1.1", "acme-tls/1"))) {
            tls = tls.withAlpn("http/1.1");
        }
        if (mtaStsMaxAge < 0 || mtaStsMaxAge > MAX_MAX_AGE) {
            throw new IllegalArgumentException("mta-sts max_age must be 0.." + MAX_MAX_AGE + ", got " + mtaStsMaxAge);
        }
        // each pattern once (a repeated mx line says nothing more; parsers may fold them), in the given order
        Set<String> mx = new LinkedHashSet<>();
        for (String p : mtaStsMx == null || mtaStsMx.isEmpty() ? List.of(hostname) : mtaStsMx) mx.add(checkMxPattern(p));
        mtaStsMx = List.copyOf(mx);
    }

    /** No listeners, mode testing, mx = hostname, max_age one week, the standard client ports on hostname. */
    public static WebServerConfig defaults(String hostname) {
        return new WebServerConfig(null, null, null, hostname, MtaStsMode.TESTING, List.of(), DEFAULT_MAX_AGE,
                ClientEndpoints.standard(hostname));
    }

    public WebServerConfig withHttp(InetSocketAddress address) {
        return new WebServerConfig(address, httpsAddress, tls, hostname, mtaStsMode, mtaStsMx, mtaStsMaxAge, clients, maxInFlight);
    }

    public WebServerConfig withHttps(InetSocketAddress address, ServerTls t) {
        return new WebServerConfig(httpAddress, address, t, hostname, mtaStsMode, mtaStsMx, mtaStsMaxAge, clients, maxInFlight);
    }

    /** @param mx the patterns, or an empty list for the host name alone */
    public WebServerConfig withMtaSts(MtaStsMode mode, List<String> mx, long maxAgeSeconds) {
        return new WebServerConfig(httpAddress, httpsAddress, tls, hostname, mode, mx, maxAgeSeconds, clients, maxInFlight);
    }

    public WebServerConfig withClients(ClientEndpoints endpoints) {
        return new WebServerConfig(httpAddress, httpsAddress, tls, hostname, mtaStsMode, mtaStsMx, mtaStsMaxAge, endpoints, maxInFlight);
    }

    /** At most {@code n} requests handled at once; more get 503 with Retry-After ({@code web.max_requests_in_flight}). */
    public WebServerConfig withMaxInFlight(int n) {
        return new WebServerConfig(httpAddress, httpsAddress, tls, hostname, mtaStsMode, mtaStsMx, mtaStsMaxAge, clients, n);
    }

    private static String checkHost(String host, String what) {
        return Domain.toAscii(Objects.requireNonNull(host, what))
                .orElseThrow(() -> new IllegalArgumentException(what + ": not a host name: " + host));
    }

    /** RFC 8461 §3.2: an MX host name, optionally with a leading wildcard label {@code *.} matching exactly one label. */
    static String checkMxPattern(String pattern) {
        String p = Objects.requireNonNull(pattern, "mx pattern").strip();
        boolean wildcard = p.startsWith("*.");
        String rest = wildcard ? p.substring(2) : p;
        String ascii = Domain.toAscii(rest).orElseThrow(() -> new IllegalArgumentException("mx pattern: not a host name: " + pattern));
        return wildcard ? "*." + ascii : ascii;
    }
}
