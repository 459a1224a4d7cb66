package dev.sealpost.web.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.ApiAccess;
import dev.sealpost.store.Directory;
import dev.sealpost.store.DirectoryException;
import dev.sealpost.store.MessageTrace;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.Store;
import dev.sealpost.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The admin REST API under {@value #PREFIX} (JSON over HTTPS): domains, accounts, aliases, the
 * outbound queue and message traces, for server admins, domain admins (their domains only) and
 * users (themselves only). Every route is in {@link #routes()} and in {@code docs/api.yaml}.
 *
 * <p>Order of checks on every request: HTTPS, the route (404, 405 with {@code Allow}), the body's
 * size (413; at most {@code maxBody} octets are read, even before authentication), authentication
 * (401, 429), the body (415, 400), then authorization (403) decided from the
 * request alone (the role and the domain named in the path or body), before any look-up, so a
 * 403 or 404 never tells someone who may not see an account whether it exists. Responses carry
 * {@code Cache-Control: no-store}; there are no CORS headers, so browsers keep other origins out.
 */
public final class AdminApi implements WebServer.ExchangeRoute {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    /** Where the API lives. */
    public static final String PREFIX = "/api/v1";
    /** Default largest request body (octets); more gets 413. */
    public static final int DEFAULT_MAX_BODY = 65_536;
    /** Most queue entries or traces one response lists. */
    static final int MAX_LIST = 1000;

    /** What the API needs from the rest of the server (the app module wires these). */
    public interface Hooks {
        /** The zone text of every record {@code domain} should publish (the {@code dns records} output). */
        String dnsRecords(String domain);

        /** Why a new password is refused, or empty (the server's password policy). */
        Optional<String> passwordProblem(char[] password);

        /** Runs after a domain was added: with {@code dkim}, makes its DKIM keys and returns their zone lines. */
        List<String> domainAdded(String domain, boolean dkim);

        /** A new random password. */
        default String generatePassword() {
            String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            SecureRandom r = new SecureRandom();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 20; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            return b.toString();
        }
    }

    /** One route: method, template (segments; {@code {name}} matches one segment) and what it needs. */
    public record RouteSpec(String method, String template) {}

    private record Route(String method, String template, String[] parts, Handler handler) {}

    @FunctionalInterface
    private interface Handler {
        WebServer.Reply handle(Call call);
    }

    /** One authenticated call: who, the path parameters, the query, the JSON body (null when none). */
    private record Call(Principal who, Map<String, String> params, Map<String, String> query, JsonNode body) {
        String param(String name) {
            return params.get(name);
        }
    }

    /** A refusal: status, error code, text (stackless; thrown by handlers, turned into the JSON error). */
    static final class ApiError extends RuntimeException {
        final int status;
        final String code;

        ApiError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private final Store store;
    private final ApiAuthenticator authenticator;
    private final Hooks hooks;
    private final Clock clock;
    private final int maxBody;
    private final ObjectMapper json;
    private final List<Route> routes = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private volatile SessionAuth sessions;

    public AdminApi(Store store, ApiAuthenticator authenticator, Hooks hooks, Clock clock, int maxBody) {
        this.store = Objects.requireNonNull(store, "store");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxBody < 1024) throw new IllegalArgumentException("maxBody below 1024");
        this.maxBody = maxBody;
        this.json = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(maxBody).build());
        add("GET", "/me", this::me);
        add("GET", "/domains", this::listDomains);
        add("POST", "/domains", this::addDomain);
        add("GET", "/domains/{domain}", this::showDomain);
        add("DELETE", "/domains/{domain}", this::removeDomain);
        add("GET", "/accounts", this::listAccounts);
        add("POST", "/accounts", this::addAccount);
        add("GET", "/accounts/{address}", this::showAccount);
        add("DELETE", "/accounts/{address}", this::removeAccount);
        add("PUT", "/accounts/{address}/password", this::setPassword);
        add("PUT", "/accounts/{address}/quota", this::setQuota);
        add("PUT", "/accounts/{address}/role", this::setRole);
        add("GET", "/aliases", this::listAliases);
        add("POST", "/aliases", this::addAlias);
        add("DELETE", "/aliases/{source}/{target}", this::removeAlias);
        add("GET", "/queue", this::listQueue);
        add("GET", "/queue/{id}", this::showQueue);
        add("DELETE", "/queue/{id}", this::deleteQueue);
        add("POST", "/queue/{id}/retry", c -> queueAction(c, "retry"));
        add("POST", "/queue/{id}/hold", c -> queueAction(c, "hold"));
        add("POST", "/queue/{id}/release", c -> queueAction(c, "release"));
        add("POST", "/queue/{id}/bounce", c -> queueAction(c, "bounce"));
        add("GET", "/trace", this::trace);
    }

    /** Also accepts the web admin's cookie sessions (with their CSRF check) on requests without an {@code Authorization} header. */
    public AdminApi sessions(SessionAuth sessionAuth) {
        this.sessions = Objects.requireNonNull(sessionAuth, "sessionAuth");
        return this;
    }

    private void add(String method, String template, Handler h) {
        routes.add(new Route(method, template, template.substring(1).split("/"), h));
    }

    /** Every route served: method and template relative to {@value #PREFIX} (the api.yaml test compares them). */
    public List<RouteSpec> routes() {
        return routes.stream().map(r -> new RouteSpec(r.method(), r.template())).toList();
    }

    // ---------------------------------------------------------------- the request

    @Override
    public WebServer.Reply answer(HttpExchange ex, boolean secure) {
        WebServer.Reply r;
        try {
            r = dispatch(ex, secure);
        } catch (ApiError e) {
            r = error(e.status, e.code, e.getMessage(), Map.of());
        }
        if (r.status() >= 400 && ex.getAttribute(BODY_READ) == null && hasBody(ex)) {
            // refused before its body was read (413, 404, 405): the connection closes after the
            // reply rather than carry the rest of the body
            Map<String, String> h = new LinkedHashMap<>(r.headers());
            h.put("Connection", "close");
            r = new WebServer.Reply(r.status(), r.contentType(), r.body(), h);
        }
        return r;
    }

    private static final String BODY_READ = "dev.sealpost.web.api.body-read";

    private static boolean hasBody(HttpExchange ex) {
        String te = ex.getRequestHeaders().getFirst("Transfer-Encoding");
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        return te != null || (cl != null && !cl.strip().equals("0"));
    }

    private WebServer.Reply dispatch(HttpExchange ex, boolean secure) {
        if (!secure) throw new ApiError(404, "not_found", "the API is served on the HTTPS listener only");
        String method = ex.getRequestMethod();
        String raw = ex.getRequestURI().getRawPath();
        String rest = raw.substring(PREFIX.length());
        if (rest.isEmpty() || rest.equals("/")) throw new ApiError(404, "not_found", "no such route: see docs/api.yaml");
        List<String> segments = segments(rest.substring(1));
        Route route = null;
        Map<String, String> params = null;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> p = match(r.parts(), segments);
            if (p == null) continue;
            allowed.add(r.method());
            if (r.method().equals(method)) {
                route = r;
                params = p;
            }
        }
        if (allowed.isEmpty()) throw new ApiError(404, "not_found", "no such route: see docs/api.yaml");
        if (route == null) {
            // RFC 9110 §15.5.6: 405 names the allowed methods; OPTIONS too (no CORS preflight is answered)
            return error(405, "method_not_allowed", "method " + WebServer.printableMethod(method) + " is not allowed here",
                    Map.of("Allow", String.join(", ", allowed)));
        }
        // the body is read (at most maxBody octets) before anything is answered: the JDK server and
        // clients do not cope well with a reply sent while the request is still arriving
        byte[] content = readBody(ex);
        String session = "api-" + HexFormat.of().formatHex(randomBytes());
        ApiAuthenticator.Outcome outcome = null;
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        SessionAuth cookies = sessions;
        boolean viaSession = false;
        if (authorization == null && cookies != null) {
            outcome = cookies.authenticate(ex).orElse(null);
            viaSession = outcome != null;
        }
        if (outcome == null) {
            try {
                outcome = authenticator.authenticate(authorization, ex.getRemoteAddress().getAddress(), session);
            } catch (IOException e) { // interrupted during the failure delay
                throw new ApiError(503, "unavailable", "interrupted");
            }
        }
        Principal who;
        switch (outcome) {
            case ApiAuthenticator.Outcome.Refused r -> {
                Map<String, String> h = r.status() == 401 && !viaSession
                        // RFC 9110 §11.6.1 (several challenges in one field), RFC 7617 §2, RFC 6750 §3
                        ? Map.of("WWW-Authenticate", "Basic realm=\"sealpost\", charset=\"UTF-8\", Bearer realm=\"sealpost\"")
                        : r.status() == 429 ? Map.of("Retry-After", "60") : Map.of();
                return error(r.status(), r.error(), r.message(), h);
            }
            case ApiAuthenticator.Outcome.Ok ok -> who = ok.principal();
        }
        JsonNode body = body(ex, method, content);
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        try {
            WebServer.Reply reply = route.handler().handle(new Call(who, params, query, body));
            log.info("api call session={} user={} method={} route={} status={}", session, who.address(), method, route.template(), reply.status());
            return reply;
        } catch (ApiError e) {
            log.info("api call session={} user={} method={} route={} status={} error={}", session, who.address(), method, route.template(), e.status, e.code);
            throw e;
        } catch (DirectoryException e) {
            throw new ApiError(409, "conflict", e.getMessage());
        }
    }

    private byte[] randomBytes() {
        byte[] b = new byte[6];
        random.nextBytes(b);
        return b;
    }

    private static Map<String, String> match(String[] parts, List<String> segments) {
        if (parts.length != segments.size()) return null;
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("{")) {
                if (segments.get(i).isEmpty()) return null;
                out.put(p.substring(1, p.length() - 1), segments.get(i));
            } else if (!p.equals(segments.get(i))) {
                return null;
            }
        }
        return out;
    }

    /** The path's segments, each percent-decoded (RFC 3986 §2.1) as UTF-8; a bad escape is a 400. */
    static List<String> segments(String rawRest) {
        List<String> out = new ArrayList<>();
        for (String s : rawRest.split("/", -1)) out.add(percentDecode(s));
        return out;
    }

    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw new ApiError(400, "bad_request", "bad percent-escape in the path or query");
                int hi = Character.digit(s.charAt(i + 1), 16), lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new ApiError(400, "bad_request", "bad percent-escape in the path or query");
                b.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] x = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(x, 0, x.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ApiError(400, "bad_request", "the path or query is not UTF-8");
        }
    }

    /** {@code application/x-www-form-urlencoded} query parameters; a repeated one is a 400. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        if (raw.length() > 4096) throw new ApiError(400, "bad_request", "query string too long");
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = percentDecode((eq < 0 ? pair : pair.substring(0, eq)).replace('+', ' '));
            String v = percentDecode((eq < 0 ? "" : pair.substring(eq + 1)).replace('+', ' '));
            if (out.put(k, v) != null) throw new ApiError(400, "bad_request", "query parameter given twice: " + k);
        }
        return out;
    }

    /** The request body, at most {@code maxBody} octets (else 413, and the connection closes). */
    private byte[] readBody(HttpExchange ex) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new ApiError(400, "bad_request", "bad Content-Length");
            }
            if (n > maxBody) throw new ApiError(413, "payload_too_large", "request body larger than " + maxBody + " octets");
        }
        byte[] data;
        try (InputStream in = ex.getRequestBody()) {
            data = in.readNBytes(maxBody + 1);
            if (data.length > maxBody) throw new ApiError(413, "payload_too_large", "request body larger than " + maxBody + " octets");
            ex.setAttribute(BODY_READ, Boolean.TRUE);
        } catch (IOException e) {
            throw new ApiError(400, "bad_request", "could not read the request body");
        }
        return data;
    }

    /** The JSON body of a POST or PUT: {@code application/json} (415), one object (400); null when empty. */
    private JsonNode body(HttpExchange ex, String method, byte[] data) {
        if (data.length == 0) return null;
        if (!method.equals("POST") && !method.equals("PUT")) throw new ApiError(400, "bad_request", "no body expected with " + method);
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
        JsonNode node;
        try {
            node = json.readTree(data);
        } catch (IOException e) {
            throw new ApiError(400, "bad_request", "malformed JSON: " + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : "unreadable"));
        }
        if (node == null || !node.isObject()) throw new ApiError(400, "bad_request", "the body must be a JSON object");
        return node;
    }

    // ---------------------------------------------------------------- replies

    private WebServer.Reply reply(int status, JsonNode node) {
        byte[] b;
        try {
            b = json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new WebServer.Reply(status, "application/json", b, Map.of("Cache-Control", "no-store"));
    }

    private WebServer.Reply ok(JsonNode node) {
        return reply(200, node);
    }

    private WebServer.Reply error(int status, String code, String message, Map<String, String> headers) {
        ObjectNode o = json.createObjectNode().put("error", code).put("message", message);
        byte[] b;
        try {
            b = json.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Cache-Control", "no-store");
        return new WebServer.Reply(status, "application/json", b, h);
    }

    private static ApiError forbidden(String what) {
        return new ApiError(403, "forbidden", "your role may not " + what);
    }

    private static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what);
    }

    private static ApiError badRequest(String what) {
        return new ApiError(400, "bad_request", what);
    }

    private ObjectNode obj() {
        return json.createObjectNode();
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    // ---------------------------------------------------------------- body fields

    private static JsonNode requireBody(Call c) {
        if (c.body() == null) throw badRequest("a JSON object body is required");
        return c.body();
    }

    private static String text(Call c, String field, boolean required) {
        JsonNode b = c.body();
        JsonNode v = b == null ? null : b.get(field);
        if (v == null || v.isNull()) {
            if (required) throw badRequest("field '" + field + "' is required");
            return null;
        }
        if (!v.isTextual()) throw badRequest("field '" + field + "' must be a string");
        return v.asText();
    }

    private static boolean flag(Call c, String field) {
        JsonNode v = c.body() == null ? null : c.body().get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw badRequest("field '" + field + "' must be true or false");
        return v.booleanValue();
    }

    private static String address(String s, String what) {
        return EmailAddress.parse(s == null ? "" : s.strip()).map(EmailAddress::canonical)
                .orElseThrow(() -> badRequest(what + " is not an email address"));
    }

    private static String domain(String s) {
        return Domain.toAscii(s == null ? "" : s.strip().toLowerCase(Locale.ROOT)).orElseThrow(() -> badRequest("not a domain name: " + s));
    }

    private static long id(Call c) {
        try {
            long v = Long.parseLong(c.param("id"));
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw badRequest("a queue id is a positive number");
        }
    }

    // ---------------------------------------------------------------- me

    private WebServer.Reply me(Call c) {
        Principal p = c.who();
        ObjectNode o = obj().put("address", p.address()).put("role", p.role());
        ArrayNode d = o.putArray("domains");
        p.domains().stream().sorted().forEach(d::add);
        o.put("via", p.via());
        o.put("scope", p.scope() == null ? null : p.scope().token());
        return ok(o);
    }

    // ---------------------------------------------------------------- domains

    private WebServer.Reply listDomains(Call c) {
        if (!c.who().anyAdmin()) throw forbidden("list domains");
        ObjectNode o = obj();
        ArrayNode a = o.putArray("domains");
        for (String d : store.directory().domains()) {
            if (c.who().administers(d)) a.add(obj().put("name", d));
        }
        return ok(o);
    }

    private WebServer.Reply addDomain(Call c) {
        if (!c.who().admin()) throw forbidden("add domains");
        requireBody(c);
        String d = domain(text(c, "name", true));
        boolean dkim = c.body().has("dkim") ? flag(c, "dkim") : true;
        if (store.directory().isLocalDomain(d)) throw new ApiError(409, "conflict", "domain already exists: " + d);
        store.directory().addDomain(d);
        List<String> lines = hooks.domainAdded(d, dkim);
        ObjectNode o = obj().put("name", d);
        ArrayNode a = o.putArray("dkim_records");
        lines.forEach(a::add);
        return reply(201, o);
    }

    private WebServer.Reply showDomain(Call c) {
        String d = domain(c.param("domain"));
        if (!c.who().administers(d)) throw forbidden("see domain " + d);
        Directory dir = store.directory();
        if (!dir.isLocalDomain(d)) throw notFound("no such domain: " + d);
        ObjectNode o = obj().put("name", d);
        o.put("accounts", dir.accounts().stream().filter(a -> Principal.domainOf(a.address()).equals(d)).count());
        o.put("aliases", dir.aliases().stream().filter(a -> Principal.domainOf(a.source()).equals(d)).count());
        ArrayNode keys = o.putArray("dkim_keys");
        for (Directory.DkimKey k : dir.dkimKeys(d)) {
            keys.add(obj().put("selector", k.selector()).put("algorithm", k.algorithm()).put("state", k.state())
                    .put("record_name", k.recordName()).put("record", k.publicRecord()).put("created_at", time(k.createdAt())));
        }
        o.put("dns_records", hooks.dnsRecords(d));
        return ok(o);
    }

    private WebServer.Reply removeDomain(Call c) {
        String d = domain(c.param("domain"));
        if (!c.who().admin()) throw forbidden("remove domains");
        if (!store.directory().removeDomain(d)) throw notFound("no such domain: " + d);
        return reply(200, obj().put("name", d).put("removed", true));
    }

    // ---------------------------------------------------------------- accounts

    private ObjectNode account(Directory.Account a) {
        return obj().put("address", a.address()).put("quota_bytes", a.quotaBytes()).put("used_bytes", a.usedBytes())
                .put("roles", store.apiAccess().roles(a.address()).describe());
    }

    private WebServer.Reply listAccounts(Call c) {
        if (!c.who().anyAdmin()) throw forbidden("list accounts");
        String only = c.query().containsKey("domain") ? domain(c.query().get("domain")) : null;
        if (only != null && !c.who().administers(only)) throw forbidden("list the accounts of " + only);
        ObjectNode o = obj();
        ArrayNode arr = o.putArray("accounts");
        for (Directory.Account a : store.directory().accounts()) {
            String d = Principal.domainOf(a.address());
            if (c.who().administers(d) && (only == null || only.equals(d))) arr.add(account(a));
        }
        return ok(o);
    }

    private WebServer.Reply addAccount(Call c) {
        requireBody(c);
        String a = address(text(c, "address", true), "address");
        String d = Principal.domainOf(a);
        if (!c.who().administers(d)) throw forbidden("add accounts in " + d);
        boolean generate = flag(c, "generate_password");
        String given = text(c, "password", false);
        if (generate == (given != null)) throw badRequest("give either 'password' or \"generate_password\": true");
        Long quota = c.body().has("quota_bytes") ? quota(c) : null;
        if (!store.directory().isLocalDomain(d)) throw new ApiError(409, "conflict", "domain " + d + " is not a local domain");
        if (store.directory().account(a).isPresent()) throw new ApiError(409, "conflict", "account already exists: " + a);
        String generated = generate ? hooks.generatePassword() : null;
        char[] pw = (generate ? generated : given).toCharArray();
        try {
            if (!generate) hooks.passwordProblem(pw).ifPresent(p -> {
                throw badRequest(p);
            });
            store.directory().addAccount(a, pw);
        } finally {
            Arrays.fill(pw, '\0');
        }
        if (quota != null) store.directory().setQuota(a, quota);
        ObjectNode o = obj();
        o.set("account", account(store.directory().account(a).orElseThrow()));
        o.put("generated_password", generated);
        return reply(201, o);
    }

    private String managedAccount(Call c, String what) {
        String a = address(c.param("address"), "the address");
        if (!c.who().mayManage(a)) throw forbidden(what + " " + a);
        return a;
    }

    /**
     * A domain admin manages the plain accounts of their domains, not one that holds a role they
     * lack (a server admin, or a domain admin of another domain): else resetting that account's
     * password would give them its rights. Server admins, and everyone for their own account, pass.
     */
    private void requireNoEscalation(Call c, String address, String what) {
        Principal p = c.who();
        if (p.admin() || address.equals(p.address())) return;
        ApiAccess.Roles target = store.apiAccess().roles(address);
        if (target.admin() || !p.domains().containsAll(target.domains())) {
            throw new ApiError(403, "forbidden", "only a server admin may " + what + " " + address + ": it holds a role you do not");
        }
    }

    private WebServer.Reply showAccount(Call c) {
        String a = managedAccount(c, "see account");
        Directory.Account acc = store.directory().account(a).orElseThrow(() -> notFound("no such account: " + a));
        return ok(account(acc));
    }

    private WebServer.Reply removeAccount(Call c) {
        String a = address(c.param("address"), "the address");
        if (!c.who().administers(Principal.domainOf(a))) throw forbidden("remove account " + a);
        requireNoEscalation(c, a, "remove");
        if (!store.directory().removeAccount(a)) throw notFound("no such account: " + a);
        return ok(obj().put("address", a).put("removed", true));
    }

    private WebServer.Reply setPassword(Call c) {
        String a = managedAccount(c, "change the password of");
        requireNoEscalation(c, a, "change the password of");
        requireBody(c);
        boolean generate = flag(c, "generate_password");
        String given = text(c, "password", false);
        if (generate == (given != null)) throw badRequest("give either 'password' or \"generate_password\": true");
        if (store.directory().account(a).isEmpty()) throw notFound("no such account: " + a);
        String generated = generate ? hooks.generatePassword() : null;
        char[] pw = (generate ? generated : given).toCharArray();
        try {
            if (!generate) hooks.passwordProblem(pw).ifPresent(p -> {
                throw badRequest(p);
            });
            store.directory().setPassword(a, pw);
        } finally {
            Arrays.fill(pw, '\0');
        }
        return ok(obj().put("address", a).put("generated_password", generated));
    }

    private static long quota(Call c) {
        JsonNode v = c.body().get("quota_bytes");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw badRequest("field 'quota_bytes' must be a whole number of bytes, 0 for unlimited");
        }
        return v.longValue();
    }

    private WebServer.Reply setQuota(Call c) {
        String a = address(c.param("address"), "the address");
        if (!c.who().administers(Principal.domainOf(a))) throw forbidden("set the quota of " + a);
        requireNoEscalation(c, a, "set the quota of");
        requireBody(c);
        long q = quota(c);
        if (store.directory().account(a).isEmpty()) throw notFound("no such account: " + a);
        store.directory().setQuota(a, q);
        return ok(account(store.directory().account(a).orElseThrow()));
    }

    private WebServer.Reply setRole(Call c) {
        String a = address(c.param("address"), "the address");
        if (!c.who().admin()) throw forbidden("change roles");
        requireBody(c);
        String role = text(c, "role", true);
        if (store.directory().account(a).isEmpty()) throw notFound("no such account: " + a);
        ApiAccess access = store.apiAccess();
        switch (role) {
            case "admin" -> access.grantAdmin(a);
            case "domain-admin" -> {
                String d = domain(text(c, "domain", true));
                if (!store.directory().isLocalDomain(d)) throw new ApiError(409, "conflict", "no such local domain: " + d);
                access.grantDomainAdmin(a, d);
            }
            case "user" -> access.clearRoles(a);
            default -> throw badRequest("field 'role' must be admin, domain-admin or user");
        }
        return ok(account(store.directory().account(a).orElseThrow()));
    }

    // ---------------------------------------------------------------- aliases

    private WebServer.Reply listAliases(Call c) {
        if (!c.who().anyAdmin()) throw forbidden("list aliases");
        String only = c.query().containsKey("domain") ? domain(c.query().get("domain")) : null;
        if (only != null && !c.who().administers(only)) throw forbidden("list the aliases of " + only);
        ObjectNode o = obj();
        ArrayNode arr = o.putArray("aliases");
        for (Directory.Alias a : store.directory().aliases()) {
            String d = Principal.domainOf(a.source());
            if (c.who().administers(d) && (only == null || only.equals(d))) arr.add(obj().put("source", a.source()).put("target", a.target()));
        }
        return ok(o);
    }

    /** {@code local@domain} or {@code @domain} (catch-all). */
    private static String aliasSource(String s) {
        if (s != null && s.strip().startsWith("@")) return "@" + domain(s.strip().substring(1));
        return address(s, "source");
    }

    private WebServer.Reply addAlias(Call c) {
        requireBody(c);
        String src = aliasSource(text(c, "source", true));
        String dst = address(text(c, "target", true), "target");
        String d = Principal.domainOf(src);
        if (!c.who().administers(d)) throw forbidden("add aliases in " + d);
        if (!store.directory().isLocalDomain(d)) throw new ApiError(409, "conflict", "domain " + d + " is not a local domain");
        store.directory().addAlias(src, dst);
        return reply(201, obj().put("source", src).put("target", dst));
    }

    private WebServer.Reply removeAlias(Call c) {
        String src = aliasSource(c.param("source"));
        String dst = address(c.param("target"), "target");
        if (!c.who().administers(Principal.domainOf(src))) throw forbidden("remove aliases in " + Principal.domainOf(src));
        if (!store.directory().removeAlias(src, dst)) throw notFound("no such alias: " + src + " -> " + dst);
        return ok(obj().put("source", src).put("target", dst).put("removed", true));
    }

    // ---------------------------------------------------------------- queue

    /** A domain admin sees the queued messages sent from (envelope or login) an address of their domains. */
    private static boolean visible(Principal p, OutboundQueue.QueueMessage m) {
        if (p.admin()) return true;
        if (!m.mailFrom().isEmpty() && p.administers(Principal.domainOf(m.mailFrom()))) return true;
        return m.authUser() != null && p.administers(Principal.domainOf(m.authUser()));
    }

    private ObjectNode queueEntry(OutboundQueue.Entry e) {
        OutboundQueue.QueueMessage m = e.message();
        ObjectNode o = obj().put("id", m.id()).put("from", m.mailFrom()).put("received_at", time(m.receivedAt()))
                .put("size", m.blob().size()).put("auth_user", m.authUser()).put("client_address", m.clientAddress())
                .put("held", e.deliveries().stream().anyMatch(OutboundQueue.Delivery::held));
        ArrayNode r = o.putArray("recipients");
        for (OutboundQueue.Delivery d : e.deliveries()) {
            r.add(obj().put("address", d.address()).put("state", d.state().name().toLowerCase(Locale.ROOT)).put("held", d.held())
                    .put("attempts", d.attempts()).put("next_attempt_at", time(d.nextAttemptAt()))
                    .put("last_reply", d.lastReply()).put("remote_mta", d.remoteMta()));
        }
        return o;
    }

    private static int limit(Call c) {
        String l = c.query().get("limit");
        if (l == null) return 100;
        try {
            int n = Integer.parseInt(l);
            if (n < 1 || n > MAX_LIST) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw badRequest("limit must be 1 to " + MAX_LIST);
        }
    }

    private WebServer.Reply listQueue(Call c) {
        if (!c.who().anyAdmin()) throw forbidden("see the queue");
        int limit = limit(c);
        ObjectNode o = obj();
        ArrayNode arr = o.putArray("messages");
        // read more than shown when filtering for a domain admin, within the overall bound
        for (OutboundQueue.Entry e : store.outbound().list(c.who().admin() ? limit : MAX_LIST)) {
            if (arr.size() >= limit) break;
            if (visible(c.who(), e.message())) arr.add(queueEntry(e));
        }
        return ok(o);
    }

    private OutboundQueue.Entry queued(Call c) {
        if (!c.who().anyAdmin()) throw forbidden("see the queue");
        long id = id(c);
        return store.outbound().show(id).filter(e -> visible(c.who(), e.message()))
                .orElseThrow(() -> notFound("no queued message " + id + " with remote recipients"));
    }

    private WebServer.Reply showQueue(Call c) {
        return ok(queueEntry(queued(c)));
    }

    private WebServer.Reply deleteQueue(Call c) {
        long id = queued(c).message().id();
        boolean deleted = store.outbound().delete(id);
        if (!deleted) throw notFound("no queued message " + id);
        return ok(obj().put("id", id).put("action", "delete").put("recipients", 0));
    }

    private WebServer.Reply queueAction(Call c, String action) {
        long id = queued(c).message().id();
        OutboundQueue q = store.outbound();
        int n = switch (action) {
            case "retry" -> q.retryNow(id);
            case "hold" -> q.hold(id);
            case "release" -> q.release(id);
            case "bounce" -> {
                String reason = text(c, "reason", false);
                String t = reason == null ? "" : reason.replaceAll("\\p{Cntrl}", " ").strip();
                if (t.length() > 200) throw badRequest("reason longer than 200 characters");
                yield q.bounce(id, "554 5.0.0 " + (t.isEmpty() ? "Delivery cancelled by the administrator" : t));
            }
            default -> throw new IllegalStateException(action);
        };
        return ok(obj().put("id", id).put("action", action).put("recipients", n));
    }

    // ---------------------------------------------------------------- trace

    private WebServer.Reply trace(Call c) {
        String q = c.query().get("queue_id"), mid = c.query().get("message_id");
        if ((q == null) == (mid == null)) throw badRequest("give exactly one of queue_id and message_id");
        List<MessageTrace.Trace> found;
        if (q != null) {
            long id;
            try {
                id = Long.parseLong(q);
            } catch (NumberFormatException e) {
                throw badRequest("queue_id is a number");
            }
            found = store.trace().byQueueId(id).map(List::of).orElse(List.of());
        } else {
            if (mid.isBlank() || mid.length() > MessageTrace.MAX_MESSAGE_ID) throw badRequest("message_id empty or too long");
            found = store.trace().byMessageId(mid, 50);
        }
        Principal p = c.who();
        ObjectNode o = obj();
        ArrayNode arr = o.putArray("traces");
        for (MessageTrace.Trace t : found) {
            boolean sender = p.admin() || (!t.mailFrom().isEmpty() && p.mayManage(t.mailFrom())) || (t.authUser() != null && p.mayManage(t.authUser()));
            List<MessageTrace.Event> events = t.events().stream()
                    .filter(e -> sender || (!e.type().equals("received") && e.address() != null && p.mayManage(e.address()))).toList();
            List<String> rcpts = t.recipients().stream().filter(r -> sender || p.mayManage(r)).toList();
            if (!sender && events.isEmpty() && rcpts.isEmpty()) continue; // not theirs: as if absent
            ObjectNode x = obj().put("queue_id", t.queueId()).put("from", t.mailFrom()).put("auth_user", sender ? t.authUser() : null)
                    .put("client_address", sender ? t.clientAddress() : null).put("received_at", time(t.receivedAt())).put("size", t.size());
            ArrayNode r = x.putArray("recipients");
            rcpts.forEach(r::add);
            ArrayNode ids = x.putArray("message_ids");
            t.messageIds().forEach(ids::add);
            ArrayNode ev = x.putArray("events");
            for (MessageTrace.Event e : events) {
                ev.add(obj().put("at", time(e.at())).put("type", e.type()).put("address", e.address())
                        .put("detail", e.detail()).put("remote_mta", e.remoteMta()));
            }
            arr.add(x);
        }
        return ok(o);
    }
}
