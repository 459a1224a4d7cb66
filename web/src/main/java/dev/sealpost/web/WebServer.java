package dev.sealpost.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The HTTP(S) listener: the MTA-STS policy (RFC 8461 §3.2) on {@code https://mta-sts.<domain>/},
 * Thunderbird autoconfig for mail clients, and {@code /healthz}. One virtual thread per request
 * on the JDK's {@link HttpServer} / {@link HttpsServer}.
 *
 * <p>Routes (exact paths only; nothing is read from the file system):
 * <ul>
 *   <li>{@code GET /.well-known/mta-sts.txt}: HTTPS only, for {@code Host: mta-sts.<d>} with
 *       {@code d} a local domain; otherwise 404.</li>
 *   <li>{@code GET /mail/config-v1.1.xml?emailaddress=...} and
 *       {@code GET /.well-known/autoconfig/mail/config-v1.1.xml}: the domain of
 *       {@code emailaddress}, or else the Host (without a leading {@code autoconfig.}), must be
 *       local; otherwise 404.</li>
 *   <li>{@code GET /healthz}: 200 {@code ok}.</li>
 *   <li>{@code GET /.well-known/acme-challenge/<token>}: the key authorization of a pending ACME
 *       HTTP-01 challenge (RFC 8555 §8.3) when {@link #acmeChallenges} is set; otherwise 404.</li>
 * </ul>
 * Only GET and HEAD (405 otherwise), except under an {@link #exchangeRoute} (the admin API,
 * {@code /api/v1}), asked first. Every response carries {@code X-Content-Type-Options: nosniff}.
 * More than {@link WebServerConfig#maxInFlight} requests at once: {@code 503} with {@code Retry-After}.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    static final String POLICY_PATH = "/.well-known/mta-sts.txt";
    static final String AUTOCONFIG_PATH = "/mail/config-v1.1.xml";
    static final String AUTOCONFIG_WELL_KNOWN_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml";
    static final String HEALTH_PATH = "/healthz";
    static final String METRICS_PATH = "/metrics";
    /** RFC 8555 §8.3: where HTTP-01 validation fetches the key authorization, followed by the token. */
    static final String ACME_CHALLENGE_PATH = "/.well-known/acme-challenge/";
    /** Longest query string we look at (autoconfig carries one address). */
    static final int MAX_QUERY = 2048;

    static {
        // Bounds of the JDK server (JVM-wide, read once when the first HttpServer is made): a
        // request's headers must arrive within 30 s and the response be taken within 30 s, at
        // most 64 header lines of 16 KiB in all, at most 1000 connections. An operator's own
        // -D setting wins.
        setIfAbsent("sun.net.httpserver.maxReqTime", "30");
        setIfAbsent("sun.net.httpserver.maxRspTime", "30");
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "64");
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", "16384");
        setIfAbsent("jdk.httpserver.maxConnections", "1000");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    private final WebServerConfig config;
    private final Predicate<String> localDomain;
    private final String policyText;
    private final byte[] policyBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.Semaphore inFlight;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastOverloadWarn = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - 120_000_000_000L);
    private ExecutorService executor;
    private HttpServer http;
    private HttpsServer https;
    private volatile MetricsEndpoint metrics;
    /** Extension routes by path prefix, asked before the built-in ones (see {@link #route(String, Route)}). */
    private final java.util.concurrent.CopyOnWriteArrayList<Map.Entry<String, Route>> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Function<String, Optional<String>> acmeChallenges;
    /** Routes other features added with {@link #addRoute}, by path prefix, longest first (evidence). */
    private final java.util.concurrent.CopyOnWriteArrayList<Map.Entry<String, WebRoute>> prefixRoutes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whole-request routes ({@link #exchangeRoute}), asked before anything else. */
    private final java.util.concurrent.CopyOnWriteArrayList<Map.Entry<String, ExchangeRoute>> exchangeRoutes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param localDomain answers whether an A-label, lower-case domain is one of ours
     *                    ({@link Directory#isLocalDomain}); asked on every request, so domains
     *                    added at run time are served at once
     */
    public WebServer(WebServerConfig config, Predicate<String> localDomain) {
        this.config = Objects.requireNonNull(config, "config");
        this.localDomain = Objects.requireNonNull(localDomain, "localDomain");
        this.policyText = policyText(config);
        this.policyBytes = policyText.getBytes(StandardCharsets.US_ASCII);
        this.inFlight = new java.util.concurrent.Semaphore(config.maxInFlight());
    }

    /** Local domains from the store's directory. */
    public WebServer(WebServerConfig config, Directory directory) {
        this(config, directory::isLocalDomain);
    }

    /**
     * The policy file (RFC 8461 §3.2): {@code version}, {@code mode}, one {@code mx} line per
     * pattern, {@code max_age}; CRLF line ends.
     */
    public static String policyText(WebServerConfig config) {
        StringBuilder b = new StringBuilder("version: STSv1\r\n");
        b.append("mode: ").append(config.mtaStsMode().token()).append("\r\n");
        for (String mx : config.mtaStsMx()) b.append("mx: ").append(mx).append("\r\n");
        b.append("max_age: ").append(config.mtaStsMaxAge()).append("\r\n");
        return b.toString();
    }

    /**
     * The {@code id} for the {@code _mta-sts} TXT record (RFC 8461 §3.1: 1 to 32 letters and
     * digits) derived from the policy text, so that it changes exactly when the policy does:
     * the first 80 bits of its SHA-256, in lower-case hex (20 characters).
     */
    public static String policyId(String policyText) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(policyText.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(d, 10));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The policy this server serves. */
    public String policyText() {
        return policyText;
    }

    /** The {@code id} to publish in {@code _mta-sts.<domain>} for the policy this server serves. */
    public String policyId() {
        return policyId(policyText);
    }

    /**
     * Answers ACME HTTP-01 validations (RFC 8555 §8.3): {@code GET /.well-known/acme-challenge/<token>}
     * gets the key authorization {@code responder} returns for the token, 404 when it returns empty
     * (no order pending); null turns the route off.
     */
    public void acmeChallenges(java.util.function.Function<String, Optional<String>> responder) {
        this.acmeChallenges = responder;
    }

    /** Serves {@code /metrics} from {@code endpoint} (null: not served, 404). */
    public void metrics(MetricsEndpoint endpoint) {
        this.metrics = endpoint;
    }

    /**
     * Serves every path that starts with {@code prefix} (e.g. {@code /evidence/}) from {@code route},
     * on both listeners (the route sees which one). The built-in paths come first.
     */
    public void addRoute(String prefix, WebRoute route) {
        if (!prefix.startsWith("/")) throw new IllegalArgumentException("a route prefix starts with '/': " + prefix);
        prefixRoutes.add(Map.entry(prefix, Objects.requireNonNull(route)));
        prefixRoutes.sort((a, b) -> b.getKey().length() - a.getKey().length());
    }

    private Response added(String path, boolean secure) {
        for (Map.Entry<String, WebRoute> e : prefixRoutes) {
            if (!path.startsWith(e.getKey())) continue;
            return e.getValue().handle(path, secure)
                    .map(r -> new Response(r.status(), r.contentType(), r.body(), r.headers()))
                    .orElseGet(WebServer::notFound);
        }
        return notFound();
    }

    /** Binds and starts the configured listeners. */
    /**
     * Adds a route for GET and HEAD requests whose path starts with {@code pathPrefix} (e.g. WKD
     * hosting, {@link WkdHosting}); it is asked after the method and Host checks, in the order
     * added, and an empty answer falls through to the built-in routes (then 404).
     */
    public void route(String pathPrefix, Route route) {
        routes.add(Map.entry(Objects.requireNonNull(pathPrefix, "pathPrefix"), Objects.requireNonNull(route, "route")));
    }

    /**
     * A route that sees the whole request (any method, the headers, the body, the client's
     * address) under a path prefix: the admin API ({@code /api/v1}). It is asked first, before
     * the GET/HEAD-only rule and every other route, for the prefix itself and every path below it.
     */
    @FunctionalInterface
    public interface ExchangeRoute {
        /** The reply; the web server adds its usual security headers and writes it. */
        Reply answer(HttpExchange exchange, boolean secure) throws IOException;
    }

    /** Serves {@code prefix} and every path under {@code prefix/} from {@code route} (see {@link ExchangeRoute}). */
    public void exchangeRoute(String prefix, ExchangeRoute route) {
        if (!prefix.startsWith("/") || prefix.endsWith("/")) throw new IllegalArgumentException("a prefix like /api/v1: " + prefix);
        exchangeRoutes.add(Map.entry(prefix, Objects.requireNonNull(route, "route")));
    }

    /** POST routes by path prefix (one-click unsubscribe, RFC 8058), asked in the order added. */
    private final java.util.concurrent.CopyOnWriteArrayList<Map.Entry<String, PostRoute>> postRoutes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Largest POST body read for a {@link PostRoute}; a larger one gets 413. */
    public static final int MAX_POST_BODY = 8192;

    /** An extension route for POST requests: the request, its Content-Type (or null) and its body (at most {@link #MAX_POST_BODY} octets). */
    @FunctionalInterface
    public interface PostRoute {
        /** The reply, or empty for 404. */
        Optional<Reply> answer(Request request, String contentType, byte[] body);
    }

    /** Adds a POST route for paths starting with {@code pathPrefix} (e.g. the lists' one-click unsubscribe). */
    public void postRoute(String pathPrefix, PostRoute route) {
        postRoutes.add(Map.entry(Objects.requireNonNull(pathPrefix, "pathPrefix"), Objects.requireNonNull(route, "route")));
    }

    private Optional<Response> post(HttpExchange ex, boolean secure) throws IOException {
        URI uri = ex.getRequestURI();
        String path = uri.getRawPath();
        if (path == null) return Optional.empty();
        for (Map.Entry<String, PostRoute> r : postRoutes) {
            if (!path.startsWith(r.getKey())) continue;
            if (badHost(ex)) return Optional.of(Response.text(400, "bad request: Host\n"));
            byte[] body;
            try (var in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_POST_BODY + 1);
            }
            // RFC 9110 §15.5.14: 413 Content Too Large
            if (body.length > MAX_POST_BODY) return Optional.of(Response.text(413, "request body too large\n"));
            Optional<Reply> reply = r.getValue().answer(new Request("POST", secure, host(ex), path, uri.getRawQuery()),
                    ex.getRequestHeaders().getFirst("Content-Type"), body);
            return Optional.of(reply.map(x -> new Response(x.status(), x.contentType(), x.body(), x.headers())).orElseGet(WebServer::notFound));
        }
        return Optional.empty();
    }

    /** A request as a {@link Route} sees it: host lower-case without port (empty when none or an IP literal), raw path and query. */
    public record Request(String method, boolean secure, Optional<String> host, String rawPath, String rawQuery) {}

    /** A route's answer: status, content type (null without a body), body, extra headers. */
    public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {}

    /** An extension route. */
    @FunctionalInterface
    public interface Route {
        /** The reply, or empty to let the other routes answer. */
        Optional<Reply> answer(Request request);
    }

    public void start() throws IOException {
        lock.lock();
        try {
            if (executor != null) throw new IllegalStateException("already started");
            executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("web-", 0).factory());
            try {
                if (config.httpAddress() != null) {
                    http = HttpServer.create(config.httpAddress(), 0);
                    http.createContext("/", ex -> handle(ex, false));
                    http.setExecutor(executor);
                    http.start();
                    log.info("web listener=http address={}", http.getAddress());
                }
                if (config.httpsAddress() != null) {
                    https = HttpsServer.create(config.httpsAddress(), 0);
                    https.setHttpsConfigurator(new Configurator(config.tls()));
                    https.createContext("/", ex -> handle(ex, true));
                    https.setExecutor(executor);
                    https.start();
                    log.info("web listener=https address={}", https.getAddress());
                }
            } catch (IOException | RuntimeException e) {
                stopAll();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The bound HTTP port, or -1 when there is no HTTP listener. */
    public int httpPort() {
        HttpServer s = http;
        return s == null ? -1 : s.getAddress().getPort();
    }

    /** The bound HTTPS port, or -1 when there is no HTTPS listener. */
    public int httpsPort() {
        HttpsServer s = https;
        return s == null ? -1 : s.getAddress().getPort();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            stopAll();
        } finally {
            lock.unlock();
        }
    }

    private void stopAll() {
        if (http != null) http.stop(0);
        if (https != null) https.stop(0);
        if (executor != null) {
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) log.warn("web requests still running after close");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http = null;
        https = null;
        executor = null;
    }

    /** The listener's TLS policy (core.tls.ServerTls) on each HTTPS connection's SSLEngine. */
    private static final class Configurator extends HttpsConfigurator {
        private final ServerTls tls;

        Configurator(ServerTls tls) {
            super(tls.context());
            this.tls = tls;
        }

        @Override
        public void configure(HttpsParameters params) {
            params.setSSLParameters(tls.parameters());
        }
    }

    /** One response: status, content type (null without a body), body, extra headers. */
    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8),
                    Map.of("Cache-Control", "no-store"));
        }
    }

    /**
     * Overload: at most {@link WebServerConfig#maxInFlight} requests are handled at once; one more
     * is answered at once with {@code 503} and {@code Retry-After} (RFC 9110 §15.6.4, §10.2.3) and
     * its connection closed, instead of queueing behind slow ones until every client times out.
     */
    private void handle(HttpExchange ex, boolean secure) {
        if (!inFlight.tryAcquire()) {
            overloaded(ex, secure);
            return;
        }
        try {
            handleAdmitted(ex, secure);
        } finally {
            inFlight.release();
        }
    }

    private void overloaded(HttpExchange ex, boolean secure) {
        long n = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastOverloadWarn.get();
        // one WARN line per minute at most: a flood must not become a flood of log lines
        if (now - last > 60_000_000_000L && lastOverloadWarn.compareAndSet(last, now)) {
            log.warn("web overloaded listener={} in_flight={} refused_total={} (web.max_requests_in_flight)",
                    secure ? "https" : "http", config.maxInFlight(), n);
        }
        try (ex) {
            Response r = new Response(503, "text/plain; charset=utf-8", "server busy, retry later\n".getBytes(StandardCharsets.US_ASCII),
                    Map.of("Retry-After", Integer.toString(WebServerConfig.RETRY_AFTER_SECONDS), // RFC 9110 §10.2.3
                            "Connection", "close", // RFC 9112 §9.6: the client should not reuse this connection
                            "Cache-Control", "no-store"));
            send(ex, r);
        } catch (IOException e) {
            log.debug("web 503 not sent: {}", e.toString());
        }
    }

    /** Requests refused with 503 since start (for tests and diagnostics). */
    public long overloadRefusals() {
        return refused.get();
    }

    private void handleAdmitted(HttpExchange ex, boolean secure) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        int status = 500;
        try (ex) {
            Response r;
            try {
                r = route(ex, secure);
            } catch (RuntimeException e) {
                // our bug: logged with its stack, the client sees a bare 500
                log.warn("web request failed method={} path={}", printable(method), printable(path), e);
                r = Response.text(500, "internal error\n");
            }
            status = r.status();
            send(ex, r);
        } catch (IOException e) {
            log.debug("web response not sent: {}", e.toString());
        }
        // the path only: query strings may carry addresses; successful health probes (every few
        // seconds from a container runtime) only at debug level
        boolean probe = status == 200 && HEALTH_PATH.equals(path);
        String listener = secure ? "https" : "http";
        String host = printable(ex.getRequestHeaders().getFirst("Host"));
        if (probe) log.debug("web request listener={} method={} host={} path={} status={}", listener, printable(method), host, printable(path), status);
        else log.info("web request listener={} method={} host={} path={} status={}", listener, printable(method), host, printable(path), status);
    }

    Response route(HttpExchange ex, boolean secure) {
        String method = ex.getRequestMethod();
        String rawPath = ex.getRequestURI().getRawPath();
        if (rawPath != null && !exchangeRoutes.isEmpty()) {
            for (Map.Entry<String, ExchangeRoute> e : exchangeRoutes) {
                String p = e.getKey();
                if (!rawPath.equals(p) && !rawPath.startsWith(p + "/")) continue;
                if (badHost(ex)) return Response.text(400, "bad request: Host\n");
                try {
                    Reply r = e.getValue().answer(ex, secure);
                    return new Response(r.status(), r.contentType(), r.body(), r.headers());
                } catch (IOException io) {
                    throw new java.io.UncheckedIOException(io);
                }
            }
        }
        if (method.equals("POST")) {
            try {
                Optional<Response> posted = post(ex, secure);
                if (posted.isPresent()) return posted.get();
            } catch (IOException e) {
                return Response.text(400, "bad request body\n");
            }
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            // RFC 9110 §15.5.6: 405 names the allowed methods
            return new Response(405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.US_ASCII),
                    Map.of("Allow", "GET, HEAD", "Cache-Control", "no-store"));
        }
        URI uri = ex.getRequestURI();
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/")) return Response.text(400, "bad request\n");
        if (badHost(ex)) return Response.text(400, "bad request: Host\n");
        Optional<String> host = host(ex);
        for (Map.Entry<String, Route> r : routes) {
            if (!path.startsWith(r.getKey())) continue;
            Optional<Reply> reply = r.getValue().answer(new Request(method, secure, host, path, uri.getRawQuery()));
            if (reply.isPresent()) return new Response(reply.get().status(), reply.get().contentType(), reply.get().body(), reply.get().headers());
        }
        if (path.startsWith(ACME_CHALLENGE_PATH)) return acmeChallenge(path.substring(ACME_CHALLENGE_PATH.length()));
        return switch (path) {
            case HEALTH_PATH -> Response.text(200, "ok");
            case METRICS_PATH -> metrics(ex);
            case POLICY_PATH -> policy(secure, host);
            case AUTOCONFIG_PATH, AUTOCONFIG_WELL_KNOWN_PATH -> autoconfig(uri.getRawQuery(), host);
            default -> added(path, secure);
        };
    }

    /** Prometheus scrape: loopback or the bearer token only ({@link MetricsEndpoint}). */
    private Response metrics(HttpExchange ex) {
        MetricsEndpoint m = metrics;
        if (m == null) return notFound();
        if (!m.allowed(ex.getRemoteAddress().getAddress(), ex.getRequestHeaders().getFirst("Authorization"))) {
            return Response.text(403, "metrics are served to loopback clients or with the metrics token (web.metrics_token)\n");
        }
        return new Response(200, MetricsEndpoint.CONTENT_TYPE, m.scrape().getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control", "no-store"));
    }

    /** RFC 8555 §8.3: the key authorization of a pending HTTP-01 challenge, as application/octet-stream. */
    private Response acmeChallenge(String token) {
        var responder = acmeChallenges;
        // RFC 8555 §8.1: a token is base64url, at least 128 bits of entropy; anything else is not one of ours
        if (responder == null || token.isEmpty() || token.length() > 256
                || !token.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '_')) {
            return notFound();
        }
        return responder.apply(token)
                .map(k -> new Response(200, "application/octet-stream", k.getBytes(StandardCharsets.US_ASCII), Map.of("Cache-Control", "no-store")))
                .orElseGet(WebServer::notFound);
    }

    private static Response notFound() {
        return Response.text(404, "not found\n");
    }

    /** RFC 8461 §3.2, §3.3: only over HTTPS, only for {@code mta-sts.<local domain>}. */
    private Response policy(boolean secure, Optional<String> host) {
        if (!secure) return notFound(); // RFC 8461 §3.3: the policy is fetched over HTTPS only
        if (host.isEmpty() || !host.get().startsWith("mta-sts.")) return notFound();
        String domain = host.get().substring("mta-sts.".length());
        if (!localDomain.test(domain)) return notFound();
        // RFC 8461 §3.2: media type text/plain; senders do not use HTTP caches (§3.3), so neither should anyone between
        return new Response(200, "text/plain", policyBytes, Map.of("Cache-Control", "no-store"));
    }

    /**
     * Thunderbird autoconfig: the domain of {@code emailaddress} if given, else of the Host
     * (a leading {@code autoconfig.} removed); 404 unless local.
     */
    private Response autoconfig(String rawQuery, Optional<String> host) {
        String domain;
        if (rawQuery != null && rawQuery.length() > MAX_QUERY) return Response.text(400, "bad request: query too long\n");
        String address;
        try {
            address = rawQuery == null ? null : queryParameter(rawQuery, "emailaddress");
        } catch (IllegalArgumentException e) {
            return Response.text(400, "bad request: query\n");
        }
        if (address != null) {
            Optional<EmailAddress> a = EmailAddress.parse(address.strip());
            if (a.isEmpty()) return Response.text(400, "bad request: emailaddress\n");
            domain = a.get().domain();
        } else if (host.isPresent()) {
            String h = host.get();
            domain = h.startsWith("autoconfig.") ? h.substring("autoconfig.".length()) : h;
        } else {
            return notFound();
        }
        if (!localDomain.test(domain)) return notFound();
        byte[] xml = Autoconfig.xml(domain, config.clients()).getBytes(StandardCharsets.UTF_8);
        return new Response(200, "application/xml; charset=utf-8", xml, Map.of("Cache-Control", "max-age=3600"));
    }

    /**
     * The first value of {@code name} (case-insensitive) in an
     * {@code application/x-www-form-urlencoded} query, or null when absent.
     *
     * @throws IllegalArgumentException when the value is not decodable (a bad %-escape)
     */
    static String queryParameter(String rawQuery, String name) {
        for (String pair : rawQuery.split("&", 64)) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (!k.equalsIgnoreCase(name)) continue;
            return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
        return null;
    }

    /** RFC 9112 §3.2: a request with two Host lines, or an HTTP/1.1 request without one, is answered 400. */
    static boolean badHost(HttpExchange ex) {
        List<String> values = ex.getRequestHeaders().get("Host");
        if (values != null && values.size() > 1) return true;
        return values == null && ex.getRequestURI().getHost() == null && !"HTTP/1.0".equals(ex.getProtocol());
    }

    /**
     * The request's host, lower case, without port or trailing dot: from an absolute request
     * URI (RFC 9112 §3.2.2: it wins over Host) or else the Host header. Empty when there is none
     * (HTTP/1.0) or it is not a host name (an IP literal, garbage).
     */
    static Optional<String> host(HttpExchange ex) {
        if (ex.getRequestURI().getHost() != null) return hostName(ex.getRequestURI().getHost());
        String value = ex.getRequestHeaders().getFirst("Host");
        return value == null ? Optional.empty() : hostName(value);
    }

    /** {@code name[:port]} → the A-label name; empty for IP literals or anything that is not a host name. */
    static Optional<String> hostName(String value) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > 300 || v.startsWith("[")) return Optional.empty();
        int colon = v.lastIndexOf(':');
        if (colon >= 0) {
            String port = v.substring(colon + 1);
            if (!port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5) return Optional.empty();
            v = v.substring(0, colon);
        }
        if (v.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) return Optional.empty(); // an IPv4 literal
        return Domain.toAscii(v.toLowerCase(Locale.ROOT));
    }

    private static void send(HttpExchange ex, Response r) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        h.set("Referrer-Policy", "no-referrer");
        if (r.contentType() != null) h.set("Content-Type", r.contentType());
        r.headers().forEach(h::set);
        if (ex.getRequestMethod().equals("HEAD")) {
            // the JDK server wants -1 for HEAD; the length is that of the GET response (RFC 9110 §9.3.2)
            h.set("Content-Length", Integer.toString(r.body().length));
            ex.sendResponseHeaders(r.status(), -1);
            return;
        }
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }

    /** A request method fit to echo in a reply or log (see {@link #printable}). */
    public static String printableMethod(String method) {
        return printable(method);
    }

    /** For logs: printable ASCII only, at most 200 characters (no log injection). */
    static String printable(String s) {
        if (s == null) return "-";
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x21 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
