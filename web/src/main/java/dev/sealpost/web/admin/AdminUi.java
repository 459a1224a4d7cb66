package dev.sealpost.web.admin;

import com.sun.net.httpserver.HttpExchange;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.ApiAccess;
import dev.sealpost.store.Directory;
import dev.sealpost.store.TotpSecrets;
import dev.sealpost.web.WebServer;
import dev.sealpost.web.api.ApiAuthenticator;
import dev.sealpost.web.api.Principal;
import dev.sealpost.web.api.SessionAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The browser side of the web admin under {@value #PREFIX} (HTTPS only): the bundled static UI,
 * the login with password and optional TOTP through the shared {@link LoginGate}, the session
 * cookie, logout, and the cookie authentication of the admin API with its CSRF check
 * ({@link SessionAuth}).
 *
 * <p>The cookie is {@value #COOKIE}: {@code Secure; HttpOnly; SameSite=Strict; Path=/}, with a
 * fresh random id on every login. A request made with the cookie that changes state (any method
 * but GET and HEAD) must carry the session's CSRF token in {@value #CSRF_HEADER}, and its
 * {@code Origin}, when sent, must be this server. Every reply carries a strict
 * Content-Security-Policy (no inline script), {@code X-Frame-Options: DENY} and
 * {@code Referrer-Policy: no-referrer}.
 */
public final class AdminUi implements WebServer.ExchangeRoute, SessionAuth {
    private static final Logger log = LoggerFactory.getLogger(AdminUi.class);

    /** Where the UI lives. */
    public static final String PREFIX = "/admin";
    /** The session cookie; the {@code __Host-} prefix makes browsers insist on Secure, Path=/ and no Domain (RFC 6265bis §4.1.3.2). */
    public static final String COOKIE = "__Host-sealpost-session";
    /** The header carrying the CSRF token. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Mechanism name in the login log lines. */
    static final String MECHANISM = "WEB";
    static final int MAX_FORM = 8192;

    /** Strict CSP: only this origin's files, no inline script or style, no framing. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final WebSessions sessions;
    private final Directory directory;
    private final ApiAccess access;
    private final TotpSecrets totp;
    private final LoginGate gate;
    private final Clock clock;

    /**
     * @param totp the TOTP secrets, or null when the store keeps none (then no account has TOTP)
     */
    public AdminUi(WebSessions sessions, Directory directory, ApiAccess access, TotpSecrets totp, LoginGate gate, Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.access = Objects.requireNonNull(access, "access");
        this.totp = totp;
        this.gate = Objects.requireNonNull(gate, "gate");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public WebSessions sessions() {
        return sessions;
    }

    // ---------------------------------------------------------------- the API's cookie authentication

    @Override
    public Optional<ApiAuthenticator.Outcome> authenticate(HttpExchange ex) {
        String id = cookie(ex);
        if (id == null) return Optional.empty();
        Optional<WebSessions.Session> s = sessions.find(id);
        if (s.isEmpty()) return Optional.of(new ApiAuthenticator.Outcome.Refused(401, "unauthorized", "session expired or ended: log in again"));
        if (directory.account(s.get().address()).isEmpty()) { // removed since the login: its sessions end
            sessions.endAll(s.get().address());
            return Optional.of(new ApiAuthenticator.Outcome.Refused(401, "unauthorized", "session expired or ended: log in again"));
        }
        Optional<String> csrf = csrfProblem(ex, s.get());
        if (csrf.isPresent()) return Optional.of(new ApiAuthenticator.Outcome.Refused(403, "csrf", csrf.get()));
        return Optional.of(new ApiAuthenticator.Outcome.Ok(principal(s.get().address())));
    }

    private Principal principal(String address) {
        ApiAccess.Roles roles = access.roles(address);
        return new Principal(address, roles.admin(), roles.domains(), "session", null, 0);
    }

    static boolean stateChanging(String method) {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    /** Why a request made with the session cookie is refused as a possible cross-site request, or empty. */
    static Optional<String> csrfProblem(HttpExchange ex, WebSessions.Session s) {
        if (!stateChanging(ex.getRequestMethod())) return Optional.empty();
        if (!sameOrigin(ex)) return Optional.of("cross-origin request refused");
        if (!s.csrfMatches(ex.getRequestHeaders().getFirst(CSRF_HEADER))) return Optional.of("missing or wrong " + CSRF_HEADER + " header");
        return Optional.empty();
    }

    /** The Fetch metadata and Origin (RFC 6454 §7) a browser sends, when it sends them, name this server. */
    static boolean sameOrigin(HttpExchange ex) {
        String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) return false;
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin == null) return true;
        String host = ex.getRequestHeaders().getFirst("Host");
        return host != null && origin.equalsIgnoreCase("https://" + host.strip());
    }

    /** The session cookie's value, or null (RFC 6265 §5.4: {@code name=value} pairs separated by "; "). */
    static String cookie(HttpExchange ex) {
        var values = ex.getRequestHeaders().get("Cookie");
        if (values == null) return null;
        for (String header : values) {
            for (String pair : header.split(";")) {
                String p = pair.strip();
                if (p.startsWith(COOKIE + "=")) return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- the UI's own routes

    @Override
    public WebServer.Reply answer(HttpExchange ex, boolean secure) throws IOException {
        WebServer.Reply r = route(ex, secure);
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.put("Content-Security-Policy", CSP);
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.putIfAbsent("Cache-Control", "no-store");
        return new WebServer.Reply(r.status(), r.contentType(), r.body(), h);
    }

    private WebServer.Reply route(HttpExchange ex, boolean secure) throws IOException {
        if (!secure) return json(404, "{\"error\":\"not_found\",\"message\":\"the web admin is served on the HTTPS listener only\"}", Map.of());
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty()) return new WebServer.Reply(301, null, new byte[0], Map.of("Location", PREFIX + "/"));
        rest = rest.substring(1);
        switch (rest) {
            case "login" -> {
                return method.equals("POST") ? login(ex) : notAllowed("POST");
            }
            case "logout" -> {
                return method.equals("POST") ? logout(ex) : notAllowed("POST");
            }
            case "session" -> {
                return method.equals("GET") || method.equals("HEAD") ? session(ex) : notAllowed("GET, HEAD");
            }
            default -> {
                String file = rest.isEmpty() ? "index.html" : rest;
                if (!FILES.containsKey(file)) return json(404, "{\"error\":\"not_found\",\"message\":\"no such page\"}", Map.of());
                if (!method.equals("GET") && !method.equals("HEAD")) return notAllowed("GET, HEAD");
                try (InputStream in = AdminUi.class.getResourceAsStream("static/" + file)) {
                    if (in == null) return json(404, "{\"error\":\"not_found\",\"message\":\"no such page\"}", Map.of());
                    return new WebServer.Reply(200, FILES.get(file), in.readAllBytes(), Map.of("Cache-Control", "no-cache"));
                }
            }
        }
    }

    private static WebServer.Reply notAllowed(String allow) {
        // RFC 9110 §15.5.6
        return json(405, "{\"error\":\"method_not_allowed\",\"message\":\"method not allowed here\"}", Map.of("Allow", allow));
    }

    private static WebServer.Reply json(int status, String body, Map<String, String> headers) {
        return new WebServer.Reply(status, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private String sessionJson(String address, String csrf) {
        return "{\"address\":" + q(address) + ",\"role\":" + q(principal(address).role()) + ",\"csrf\":" + q(csrf) + "}";
    }

    /** GET /admin/session: who is logged in and the CSRF token (readable by this origin only: no CORS). */
    private WebServer.Reply session(HttpExchange ex) {
        String id = cookie(ex);
        Optional<WebSessions.Session> s = id == null ? Optional.empty() : sessions.find(id);
        if (s.isEmpty()) return json(401, "{\"error\":\"unauthorized\",\"message\":\"not logged in\"}", Map.of());
        return json(200, sessionJson(s.get().address(), s.get().csrf()), Map.of());
    }

    private static String setCookie(String value, boolean clear) {
        // RFC 6265 §4.1; SameSite: RFC 6265bis §4.1.2.7
        return COOKIE + "=" + value + "; Secure; HttpOnly; SameSite=Strict; Path=/" + (clear ? "; Max-Age=0" : "");
    }

    /** POST /admin/logout: ends the session (CSRF token required) and clears the cookie. */
    private WebServer.Reply logout(HttpExchange ex) throws IOException {
        ex.getRequestBody().readNBytes(MAX_FORM);
        String id = cookie(ex);
        Optional<WebSessions.Session> s = id == null ? Optional.empty() : sessions.find(id);
        if (s.isEmpty()) return json(401, "{\"error\":\"unauthorized\",\"message\":\"not logged in\"}", Map.of("Set-Cookie", setCookie("", true)));
        Optional<String> csrf = csrfProblem(ex, s.get());
        if (csrf.isPresent()) return json(403, "{\"error\":\"csrf\",\"message\":" + q(csrf.get()) + "}", Map.of());
        sessions.end(id);
        log.info("web session ended user={} reason=logout", s.get().address());
        return json(200, "{\"status\":\"logged out\"}", Map.of("Set-Cookie", setCookie("", true)));
    }

    /** POST /admin/login: {@code address}, {@code password}, optional {@code totp}, as a form. */
    private WebServer.Reply login(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(MAX_FORM + 1);
        if (body.length > MAX_FORM) return json(413, "{\"error\":\"payload_too_large\",\"message\":\"form too large\"}", Map.of("Connection", "close"));
        // a login from another site would log the browser into the attacker's account (login CSRF)
        if (!sameOrigin(ex)) return json(403, "{\"error\":\"csrf\",\"message\":\"cross-origin request refused\"}", Map.of());
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.split(";", 2)[0].strip().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            return json(415, "{\"error\":\"unsupported_media_type\",\"message\":\"send the form as application/x-www-form-urlencoded\"}", Map.of());
        }
        Map<String, String> form;
        try {
            form = form(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return json(400, "{\"error\":\"bad_request\",\"message\":" + q(e.getMessage()) + "}", Map.of());
        } finally {
            Arrays.fill(body, (byte) 0);
        }
        String user = form.getOrDefault("address", "").strip();
        char[] password = form.getOrDefault("password", "").toCharArray();
        String code = form.getOrDefault("totp", "").strip();
        LoginGate.Client client = new LoginGate.Client(ApiAuthenticator.PROTOCOL, "web-" + WebSessions.random(6), ex.getRemoteAddress().getAddress());
        try {
            if (gate.blocked(client, MECHANISM)) {
                return json(429, "{\"error\":\"throttled\",\"message\":\"too many failed logins from this address: try later\"}", Map.of("Retry-After", "60"));
            }
            Optional<String> canonical = EmailAddress.parse(user).map(EmailAddress::canonical);
            Optional<Directory.Account> account = canonical.isEmpty() || password.length == 0 ? Optional.empty() : directory.authenticate(canonical.get(), password);
            if (account.isEmpty()) {
                gate.failed(client, MECHANISM, user, "bad-credentials", () -> {});
                return json(401, "{\"error\":\"unauthorized\",\"message\":\"invalid credentials\"}", Map.of());
            }
            String address = account.get().address();
            Optional<TotpSecrets.Secret> secret = totp == null ? Optional.empty() : totp.get(address);
            if (secret.isPresent()) {
                byte[] key = secret.get().key();
                try {
                    if (code.isEmpty()) {
                        gate.aborted(client, MECHANISM, address, "totp-required");
                        return json(401, "{\"error\":\"totp_required\",\"message\":\"enter the code from your authenticator app\"}", Map.of());
                    }
                    OptionalLong step = Totp.verify(key, code, clock.instant());
                    if (step.isEmpty()) {
                        gate.failed(client, MECHANISM, address, "bad-totp", () -> {});
                        return json(401, "{\"error\":\"unauthorized\",\"message\":\"invalid credentials\"}", Map.of());
                    }
                    // RFC 6238 §5.2: a code is accepted once; a later step than the last accepted only
                    if (step.getAsLong() <= secret.get().lastStep() || !totp.advance(address, step.getAsLong())) {
                        gate.failed(client, MECHANISM, address, "totp-replay", () -> {});
                        return json(401, "{\"error\":\"unauthorized\",\"message\":\"this code was used already: wait for the next one\"}", Map.of());
                    }
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            gate.succeeded(client, MECHANISM, address);
            // a new id on every login, and any session the browser came with ends (no fixation)
            WebSessions.Created created = sessions.create(address, cookie(ex));
            log.info("web session started user={} totp={}", address, secret.isPresent());
            return json(200, sessionJson(address, created.session().csrf()), Map.of("Set-Cookie", setCookie(created.id(), false)));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** {@code application/x-www-form-urlencoded} (WHATWG URL §5.1); a field given twice is refused. */
    static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!Set.of("address", "password", "totp").contains(k.toLowerCase(Locale.ROOT))) continue;
            if (out.put(k.toLowerCase(Locale.ROOT), v) != null) throw new IllegalArgumentException("field given twice: " + k);
        }
        return out;
    }
}
