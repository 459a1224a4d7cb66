package dev.sealpost.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.core.login.LoginGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The web admin's sessions over real HTTPS: cookie attributes, session fixation, CSRF, timeouts, TOTP, headers. */
class AdminSessionTest {
    @TempDir
    Path dir;
    private AdminFixture f;
    private HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws IOException {
        f = new AdminFixture(dir, LoginGate.unthrottled());
        http = HttpClient.newBuilder().sslContext(f.clientTls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.origin() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(String address, String password, String totp) {
        return "address=" + URLEncoder.encode(address, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + (totp == null ? "" : "&totp=" + totp);
    }

    private HttpResponse<String> login(String address, String password, String totp, String cookie) throws Exception {
        Map<String, String> h = new java.util.HashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded", "Origin", f.origin()));
        if (cookie != null) h.put("Cookie", AdminUi.COOKIE + "=" + cookie);
        return send("POST", "/admin/login", form(address, password, totp), h);
    }

    private record Login(String cookie, String csrf) {}

    private static String cookieOf(HttpResponse<String> r) {
        String sc = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(sc).startsWith(AdminUi.COOKIE + "=");
        return sc.substring(AdminUi.COOKIE.length() + 1, sc.indexOf(';'));
    }

    private Login loginOk(String address) throws Exception {
        HttpResponse<String> r = login(address, AdminFixture.PASSWORD, null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new Login(cookieOf(r), json.readTree(r.body()).get("csrf").asText());
    }

    private Map<String, String> withCookie(Login l, String csrf) {
        Map<String, String> h = new java.util.HashMap<>(Map.of("Cookie", AdminUi.COOKIE + "=" + l.cookie(), "Content-Type", "application/json"));
        if (csrf != null) h.put(AdminUi.CSRF_HEADER, csrf);
        return h;
    }

    @Test
    void loginSetsAStrictCookieAndTheApiTakesIt() throws Exception {
        HttpResponse<String> r = login("Root@A.test", AdminFixture.PASSWORD, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        String sc = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(sc).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/").doesNotContain("Domain=");
        String id = cookieOf(r);
        assertThat(id).matches("[A-Za-z0-9_-]{43}"); // 256 bits, base64url
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("address").asText()).isEqualTo("root@a.test");
        assertThat(body.get("role").asText()).isEqualTo("admin");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'").contains("script-src 'self'")
                .doesNotContain("unsafe-inline").contains("frame-ancestors 'none'");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");

        Login l = new Login(id, body.get("csrf").asText());
        HttpResponse<String> me = send("GET", "/api/v1/me", null, withCookie(l, null));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json.readTree(me.body()).get("via").asText()).isEqualTo("session");
        HttpResponse<String> session = send("GET", "/admin/session", null, withCookie(l, null));
        assertThat(json.readTree(session.body()).get("csrf").asText()).isEqualTo(l.csrf());
        // a 401 on the cookie path carries no Basic challenge (the browser would pop up its own dialog)
        HttpResponse<String> gone = send("GET", "/api/v1/me", null, Map.of("Cookie", AdminUi.COOKIE + "=nonsense"));
        assertThat(gone.statusCode()).isEqualTo(401);
        assertThat(gone.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void badCredentialsAndCrossOriginLoginsAreRefused() throws Exception {
        HttpResponse<String> bad = login("root@a.test", "wrong password here", null, null);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(login("nobody@a.test", AdminFixture.PASSWORD, null, null).statusCode()).isEqualTo(401);
        // login CSRF: a form posted from another site
        HttpResponse<String> cross = send("POST", "/admin/login", form("root@a.test", AdminFixture.PASSWORD, null),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"));
        assertThat(cross.statusCode()).isEqualTo(403);
        assertThat(cross.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> site = send("POST", "/admin/login", form("root@a.test", AdminFixture.PASSWORD, null),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site"));
        assertThat(site.statusCode()).isEqualTo(403);
        assertThat(send("POST", "/admin/login", "{}", Map.of("Content-Type", "application/json")).statusCode()).isEqualTo(415);
        assertThat(send("GET", "/admin/login", null, Map.of()).statusCode()).isEqualTo(405);
        assertThat(f.sessions.size()).isZero();
    }

    @Test
    void sessionFixationIsImpossible() throws Exception {
        // an id the attacker planted in the browser before the login is not the one after it
        HttpResponse<String> r = login("root@a.test", AdminFixture.PASSWORD, null, "planted-by-attacker");
        String id = cookieOf(r);
        assertThat(id).isNotEqualTo("planted-by-attacker");
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", AdminUi.COOKIE + "=planted-by-attacker")).statusCode()).isEqualTo(401);
        // logging in again from a session ends that session and makes a new id
        HttpResponse<String> again = login("root@a.test", AdminFixture.PASSWORD, null, id);
        String id2 = cookieOf(again);
        assertThat(id2).isNotEqualTo(id);
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", AdminUi.COOKIE + "=" + id)).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", AdminUi.COOKIE + "=" + id2)).statusCode()).isEqualTo(200);
        assertThat(json.readTree(again.body()).get("csrf").asText()).isNotEqualTo(json.readTree(r.body()).get("csrf").asText());
        assertThat(f.sessions.size()).isEqualTo(1);
    }

    @Test
    void everyStateChangeWithTheCookieNeedsTheCsrfToken() throws Exception {
        Login root = loginOk("root@a.test");
        Login other = loginOk("dom@a.test");
        String add = "{\"name\":\"new.test\",\"dkim\":false}";
        // no token, a wrong one, another session's: refused, nothing changed
        for (String csrf : new String[]{null, "", "x", other.csrf(), root.csrf() + "x", root.csrf().substring(1)}) {
            HttpResponse<String> r = send("POST", "/api/v1/domains", add, withCookie(root, csrf));
            assertThat(r.statusCode()).as("csrf=%s", csrf).isEqualTo(403);
            assertThat(json.readTree(r.body()).get("error").asText()).isEqualTo("csrf");
        }
        assertThat(f.store.directory().isLocalDomain("new.test")).isFalse();
        long q = f.remoteMessage("root@a.test", List.of("x@remote.test"), "<m1@a.test>");
        for (String[] m : new String[][]{{"POST", "/api/v1/queue/" + q + "/hold"}, {"DELETE", "/api/v1/queue/" + q},
                {"PUT", "/api/v1/accounts/user@a.test/quota"}, {"DELETE", "/api/v1/accounts/user@a.test"}}) {
            assertThat(send(m[0], m[1], m[0].equals("PUT") ? "{\"quota_bytes\":1}" : null, withCookie(root, null)).statusCode())
                    .as("%s %s", m[0], m[1]).isEqualTo(403);
        }
        assertThat(f.store.outbound().show(q).orElseThrow().deliveries().getFirst().held()).isFalse();
        assertThat(f.store.directory().account("user@a.test")).isPresent();
        // the right token but from another origin
        Map<String, String> cross = withCookie(root, root.csrf());
        cross.put("Origin", "https://evil.example");
        assertThat(send("POST", "/api/v1/domains", add, cross).statusCode()).isEqualTo(403);
        cross.remove("Origin");
        cross.put("Sec-Fetch-Site", "same-site");
        assertThat(send("POST", "/api/v1/domains", add, cross).statusCode()).isEqualTo(403);
        // reads need no token; the right token on the same origin works
        assertThat(send("GET", "/api/v1/domains", null, withCookie(root, null)).statusCode()).isEqualTo(200);
        Map<String, String> ok = withCookie(root, root.csrf());
        ok.put("Origin", f.origin());
        ok.put("Sec-Fetch-Site", "same-origin");
        assertThat(send("POST", "/api/v1/domains", add, ok).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/v1/queue/" + q + "/hold", null, withCookie(root, root.csrf())).statusCode()).isEqualTo(200);
        assertThat(f.store.outbound().show(q).orElseThrow().deliveries().getFirst().held()).isTrue();
        // the role still applies: the domain admin's own valid token does not make it a server admin
        assertThat(send("POST", "/api/v1/domains", "{\"name\":\"x.test\"}", withCookie(other, other.csrf())).statusCode()).isEqualTo(403);
        // logout needs the token too, then the cookie is dead
        assertThat(send("POST", "/admin/logout", null, withCookie(root, null)).statusCode()).isEqualTo(403);
        HttpResponse<String> out = send("POST", "/admin/logout", null, withCookie(root, root.csrf()));
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(send("GET", "/api/v1/me", null, withCookie(root, null)).statusCode()).isEqualTo(401);
        // the bearer and Basic paths stay as they were: no CSRF token (no ambient credential)
        String basic = java.util.Base64.getEncoder().encodeToString(("root@a.test:" + AdminFixture.PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(send("POST", "/api/v1/domains", "{\"name\":\"basic.test\",\"dkim\":false}",
                Map.of("Authorization", "Basic " + basic, "Content-Type", "application/json")).statusCode()).isEqualTo(201);
    }

    @Test
    void webLoginFailuresShareTheThrottleWithTheApi(@TempDir Path other) throws Exception {
        dev.sealpost.core.auth.LoginThrottle throttle = new dev.sealpost.core.auth.LoginThrottle(java.time.Clock.systemUTC(),
                new dev.sealpost.core.auth.LoginThrottle.Settings(2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMinutes(10), 3, 10_000));
        f.close();
        f = new AdminFixture(other, new LoginGate(throttle));
        http = HttpClient.newBuilder().sslContext(f.clientTls).connectTimeout(Duration.ofSeconds(5)).build();
        // failures over the API's Basic login and the web form add up; then even the right password gets 429
        String bad = java.util.Base64.getEncoder().encodeToString("user@a.test:not the password".getBytes(StandardCharsets.UTF_8));
        assertThat(send("GET", "/api/v1/me", null, Map.of("Authorization", "Basic " + bad)).statusCode()).isEqualTo(401);
        List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) statuses.add(login("user@a.test", "not the password", null, null).statusCode());
        assertThat(statuses).contains(429);
        HttpResponse<String> blocked = login("user@a.test", AdminFixture.PASSWORD, null, null);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(blocked.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aRemovedAccountsSessionEnds() throws Exception {
        Login l = loginOk("user@a.test");
        assertThat(send("GET", "/api/v1/me", null, withCookie(l, null)).statusCode()).isEqualTo(200);
        f.store.directory().removeAccount("user@a.test");
        assertThat(send("GET", "/api/v1/me", null, withCookie(l, null)).statusCode()).isEqualTo(401);
        assertThat(f.sessions.size()).isZero();
    }

    @Test
    void idleAndAbsoluteTimeouts() throws Exception {
        Login l = loginOk("user@a.test");
        f.clock.advance(Duration.ofMinutes(29));
        assertThat(send("GET", "/api/v1/me", null, withCookie(l, null)).statusCode()).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(30));
        assertThat(send("GET", "/api/v1/me", null, withCookie(l, null)).statusCode()).isEqualTo(401);

        Login busy = loginOk("user@a.test");
        for (int i = 0; i < 35; i++) { // used every 20 minutes: the idle timeout never hits, the 12 h limit does
            f.clock.advance(Duration.ofMinutes(20));
            assertThat(send("GET", "/api/v1/me", null, withCookie(busy, null)).statusCode()).as("after %d min", (i + 1) * 20).isEqualTo(200);
        }
        f.clock.advance(Duration.ofMinutes(20)); // 12 h
        assertThat(send("GET", "/api/v1/me", null, withCookie(busy, null)).statusCode()).isEqualTo(401);
        assertThat(f.sessions.size()).isZero();
    }

    @Test
    void totpIsRequiredOnceEnabledAndACodeWorksOnce() throws Exception {
        byte[] key = Totp.newSecret();
        f.store.totp().set("root@a.test", key);
        HttpResponse<String> none = login("root@a.test", AdminFixture.PASSWORD, null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json.readTree(none.body()).get("error").asText()).isEqualTo("totp_required");
        assertThat(none.headers().firstValue("Set-Cookie")).isEmpty();
        long step = Totp.step(f.clock.instant());
        String wrong = Totp.code(key, step + 5, 6);
        assertThat(login("root@a.test", AdminFixture.PASSWORD, wrong, null).statusCode()).isEqualTo(401);
        // a good code with a wrong password gives nothing away
        assertThat(login("root@a.test", "wrong password here", Totp.code(key, step, 6), null).statusCode()).isEqualTo(401);
        String code = Totp.code(key, step, 6);
        HttpResponse<String> ok = login("root@a.test", AdminFixture.PASSWORD, code, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        cookieOf(ok);
        // the same code again (replay), and the previous step's code (still in the window): refused
        HttpResponse<String> replay = login("root@a.test", AdminFixture.PASSWORD, code, null);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("used already");
        assertThat(login("root@a.test", AdminFixture.PASSWORD, Totp.code(key, step - 1, 6), null).statusCode()).isEqualTo(401);
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(login("root@a.test", AdminFixture.PASSWORD, Totp.code(key, step + 1, 6), null).statusCode()).isEqualTo(200);
        // accounts without a secret log in with the password alone
        assertThat(login("user@a.test", AdminFixture.PASSWORD, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theUiIsBundledWithoutInlineScriptAndOnlyOnHttps() throws Exception {
        HttpResponse<String> index = send("GET", "/admin/", null, Map.of());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(index.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'self'");
        assertThat(index.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        String html = index.body();
        assertThat(html).contains("<script src=\"app.js\" defer></script>").doesNotContainPattern("<script>|<script [^s]|\\son[a-z]+=|style=|https?://");
        for (String file : List.of("app.js", "app.css")) {
            HttpResponse<String> r = send("GET", "/admin/" + file, null, Map.of());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContainPattern("https?://").doesNotContain("innerHTML");
        }
        assertThat(send("GET", "/admin", null, Map.of()).statusCode()).isEqualTo(301);
        assertThat(send("GET", "/admin/../pom.xml", null, Map.of()).statusCode()).isIn(400, 404);
        assertThat(send("GET", "/admin/module-info.class", null, Map.of()).statusCode()).isEqualTo(404);
        HttpClient plain = HttpClient.newHttpClient();
        HttpResponse<String> overHttp = plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + f.server.httpPort() + "/admin/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(overHttp.statusCode()).isEqualTo(404);
    }
}
