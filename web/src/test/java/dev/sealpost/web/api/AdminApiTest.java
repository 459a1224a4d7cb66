package dev.sealpost.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.login.LoginGate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API over real HTTPS against a real SQLite store: the authorization matrix (every route ×
 * server admin / domain admin of the domain / domain admin of another domain / user / no
 * credentials / revoked token), every response checked against docs/api.yaml
 * ({@link ApiSpec}), and the error paths (400, 401, 405, 409, 413, 415, 429).
 */
class AdminApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> WHO = List.of("admin", "domainA", "domainB", "user", "none", "revoked");

    @TempDir
    static Path dir;
    static ApiFixture f;
    static HttpClient client;
    static ApiSpec spec;
    /** Every response seen, for the schema check: method, route template, status, body. */
    static final List<Object[]> seen = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        f = new ApiFixture(dir, LoginGate.unthrottled());
        client = HttpClient.newBuilder().sslContext(f.clientTls).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();
        spec = ApiSpec.load();
    }

    @AfterAll
    static void stop() {
        if (f != null) f.close();
    }

    record Req(String method, String path, String body) {}

    record Resp(int status, JsonNode json, HttpResponse<String> raw) {}

    static String auth(String who) {
        return switch (who) {
            case "admin" -> "Bearer " + f.adminToken;
            case "domainA" -> "Bearer " + f.domainAToken;
            case "domainB" -> "Bearer " + f.domainBToken;
            case "user" -> "Bearer " + f.userToken;
            case "revoked" -> "Bearer " + f.revokedToken;
            case "none" -> null;
            default -> throw new IllegalArgumentException(who);
        };
    }

    static Resp call(String authorization, String method, String path, String body, String template) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (authorization != null) b.header("Authorization", authorization);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = r.body().isEmpty() ? null : JSON.readTree(r.body());
        if (template != null) {
            synchronized (seen) {
                seen.add(new Object[]{method, template, r.statusCode(), j});
            }
        }
        return new Resp(r.statusCode(), j, r);
    }

    /** One matrix row: the route, a request made fresh for each caller (it may create what it acts on), and the expected status per caller. */
    record Row(String method, String template, Function<String, Req> request, int admin, int domainA, int domainB, int user) {
        int expected(String who) {
            return switch (who) {
                case "admin" -> admin;
                case "domainA" -> domainA;
                case "domainB" -> domainB;
                case "user" -> user;
                default -> 401; // no credentials, revoked token
            };
        }
    }

    static List<Row> rows() {
        long shared = f.message("user@a.test", "user@a.test", List.of("x@remote.example"), List.of(), "<shared@a.test>");
        return List.of(
                new Row("GET", "/me", w -> new Req("GET", "/me", null), 200, 200, 200, 200),
                new Row("GET", "/domains", w -> new Req("GET", "/domains", null), 200, 200, 200, 403),
                new Row("POST", "/domains", w -> new Req("POST", "/domains", "{\"name\":\"new-" + w.toLowerCase() + ".test\",\"dkim\":false}"), 201, 403, 403, 403),
                new Row("GET", "/domains/{domain}", w -> new Req("GET", "/domains/a.test", null), 200, 200, 403, 403),
                new Row("DELETE", "/domains/{domain}", w -> {
                    f.store.directory().addDomain("gone-" + w.toLowerCase() + ".test");
                    return new Req("DELETE", "/domains/gone-" + w.toLowerCase() + ".test", null);
                }, 200, 403, 403, 403),
                new Row("GET", "/accounts", w -> new Req("GET", "/accounts", null), 200, 200, 200, 403),
                new Row("GET", "/accounts", w -> new Req("GET", "/accounts?domain=a.test", null), 200, 200, 403, 403),
                new Row("POST", "/accounts", w -> new Req("POST", "/accounts",
                        "{\"address\":\"new-" + w.toLowerCase() + "@a.test\",\"generate_password\":true,\"quota_bytes\":1000000}"), 201, 201, 403, 403),
                new Row("GET", "/accounts/{address}", w -> new Req("GET", "/accounts/user@a.test", null), 200, 200, 403, 200),
                new Row("GET", "/accounts/{address}", w -> new Req("GET", "/accounts/other@a.test", null), 200, 200, 403, 403),
                // an account that does not exist: the same 403 for those who may not see it, 404 only for those who may
                new Row("GET", "/accounts/{address}", w -> new Req("GET", "/accounts/nobody@a.test", null), 404, 404, 403, 403),
                new Row("DELETE", "/accounts/{address}", w -> {
                    f.store.directory().addAccount("victim-" + w.toLowerCase() + "@a.test", ApiFixture.PASSWORD.toCharArray());
                    return new Req("DELETE", "/accounts/victim-" + w.toLowerCase() + "@a.test", null);
                }, 200, 200, 403, 403),
                new Row("DELETE", "/accounts/{address}", w -> new Req("DELETE", "/accounts/user@a.test", null), -1, -1, 403, 403),
                new Row("PUT", "/accounts/{address}/password", w -> new Req("PUT", "/accounts/user@a.test/password", "{\"password\":\"" + ApiFixture.PASSWORD + "\"}"), 200, 200, 403, 200),
                new Row("PUT", "/accounts/{address}/password", w -> new Req("PUT", "/accounts/other@a.test/password", "{\"generate_password\":true}"), 200, 200, 403, 403),
                // a domain admin cannot take over a server admin's account of their domain
                new Row("PUT", "/accounts/{address}/password", w -> new Req("PUT", "/accounts/root@a.test/password", "{\"generate_password\":true}"), 200, 403, 403, 403),
                new Row("PUT", "/accounts/{address}/quota", w -> new Req("PUT", "/accounts/root@a.test/quota", "{\"quota_bytes\":0}"), 200, 403, 403, 403),
                new Row("PUT", "/accounts/{address}/quota", w -> new Req("PUT", "/accounts/user@a.test/quota", "{\"quota_bytes\":5000000}"), 200, 200, 403, 403),
                new Row("PUT", "/accounts/{address}/role", w -> new Req("PUT", "/accounts/other@a.test/role", "{\"role\":\"user\"}"), 200, 403, 403, 403),
                new Row("GET", "/aliases", w -> new Req("GET", "/aliases", null), 200, 200, 200, 403),
                new Row("POST", "/aliases", w -> new Req("POST", "/aliases", "{\"source\":\"al-" + w.toLowerCase() + "@a.test\",\"target\":\"user@a.test\"}"), 201, 201, 403, 403),
                new Row("DELETE", "/aliases/{source}/{target}", w -> {
                    f.store.directory().addAlias("gone-" + w.toLowerCase() + "@a.test", "user@a.test");
                    return new Req("DELETE", "/aliases/gone-" + w.toLowerCase() + "@a.test/user@a.test", null);
                }, 200, 200, 403, 403),
                new Row("GET", "/queue", w -> new Req("GET", "/queue", null), 200, 200, 200, 403),
                new Row("GET", "/queue/{id}", w -> new Req("GET", "/queue/" + shared, null), 200, 200, 404, 403),
                new Row("POST", "/queue/{id}/hold", w -> new Req("POST", "/queue/" + shared + "/hold", null), 200, 200, 404, 403),
                new Row("POST", "/queue/{id}/release", w -> new Req("POST", "/queue/" + shared + "/release", null), 200, 200, 404, 403),
                new Row("POST", "/queue/{id}/retry", w -> new Req("POST", "/queue/" + shared + "/retry", null), 200, 200, 404, 403),
                new Row("POST", "/queue/{id}/bounce", w -> new Req("POST", "/queue/"
                        + f.message("user@a.test", "user@a.test", List.of("y@remote.example"), List.of(), "<b-" + w + "@a.test>") + "/bounce",
                        "{\"reason\":\"test\"}"), 200, 200, 404, 403),
                new Row("DELETE", "/queue/{id}", w -> new Req("DELETE", "/queue/"
                        + f.message("user@a.test", "user@a.test", List.of("z@remote.example"), List.of(), "<d-" + w + "@a.test>"), null), 200, 200, 404, 403),
                new Row("GET", "/trace", w -> new Req("GET", "/trace?queue_id=" + shared, null), 200, 200, 200, 200));
    }

    @Test
    void authorizationMatrix() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        List<Row> rows = rows();
        for (Row row : rows) {
            for (String who : WHO) {
                int expected = row.expected(who);
                if (expected < 0) continue; // would remove a fixture account
                Req req = row.request().apply(who);
                Resp r = call(auth(who), req.method(), req.path(), req.body(), row.template());
                soft.assertThat(r.status()).as("%s %s as %s: %s", req.method(), req.path(), who, r.raw().body()).isEqualTo(expected);
                soft.assertThat(r.raw().headers().firstValue("Cache-Control")).as("no-store on %s %s", req.method(), req.path()).contains("no-store");
                soft.assertThat(r.raw().headers().map().keySet()).as("no CORS").noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
                if (expected == 401) {
                    soft.assertThat(r.raw().headers().firstValue("WWW-Authenticate")).get().asString().contains("Basic realm=").contains("Bearer");
                }
            }
        }
        soft.assertAll();
        // every route of the API is in the matrix
        assertThat(rows.stream().map(r -> r.method() + " " + r.template()).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(f.api.routes().stream().map(r -> r.method() + " " + r.template()).toList());
    }

    @Test
    void everyRouteServedIsInApiYamlAndNothingElse() {
        List<String> served = f.api.routes().stream().map(r -> r.method() + " " + r.template()).toList();
        assertThat(spec.operations()).containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void responsesCarryTheDocumentedFields() throws Exception {
        // the matrix may not have run yet (test order): make a few calls of our own too
        call(auth("admin"), "GET", "/domains/a.test", null, "/domains/{domain}");
        call(auth("admin"), "GET", "/queue", null, "/queue");
        call(auth("user"), "GET", "/me", null, "/me");
        call(null, "GET", "/me", null, "/me");
        call(auth("admin"), "POST", "/accounts", "{\"address\":\"short@a.test\",\"password\":\"short\"}", "/accounts");
        call(auth("admin"), "POST", "/accounts", "{\"address\":\"user@a.test\",\"password\":\"" + ApiFixture.PASSWORD + "\"}", "/accounts");
        List<Object[]> copy;
        synchronized (seen) {
            copy = List.copyOf(seen);
        }
        SoftAssertions soft = new SoftAssertions();
        Map<String, Integer> checked = new LinkedHashMap<>();
        for (Object[] s : copy) {
            String method = (String) s[0], template = (String) s[1];
            int status = (Integer) s[2];
            JsonNode body = (JsonNode) s[3];
            JsonNode schema = spec.responseSchema(template, method, status);
            soft.assertThat(schema).as("%s %s: status %d documented in api.yaml", method, template, status).isNotNull();
            if (schema == null) continue;
            soft.assertThat(spec.problems(schema, body)).as("%s %s %d: %s", method, template, status, body).isEmpty();
            checked.merge(method + " " + template, 1, Integer::sum);
        }
        soft.assertAll();
        assertThat(checked).isNotEmpty();
    }

    @Test
    void tracesShowWhatEachCallerMaySee() throws Exception {
        long id = f.message("user@a.test", "user@a.test", List.of("far@remote.example"), List.of("other@a.test", "user@b.test"), "<trace-1@a.test>");
        // the sender sees everything
        JsonNode all = call(auth("user"), "GET", "/trace?message_id=%3Ctrace-1@a.test%3E", null, "/trace").json().get("traces");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("queue_id").asLong()).isEqualTo(id);
        assertThat(all.get(0).get("message_ids").get(0).asText()).isEqualTo("<trace-1@a.test>");
        List<String> types = new ArrayList<>();
        all.get(0).get("events").forEach(e -> types.add(e.get("type").asText() + " " + e.get("address").asText()));
        assertThat(types).contains("received user@a.test", "delivered other@a.test", "delivered user@b.test", "queued far@remote.example");
        // without brackets too, for the admin
        assertThat(call(auth("admin"), "GET", "/trace?message_id=trace-1@a.test", null, "/trace").json().get("traces")).hasSize(1);
        // the admin of b.test sees only the event of their own recipient, not the sender's client or other recipients
        JsonNode b = call(auth("domainB"), "GET", "/trace?queue_id=" + id, null, "/trace").json().get("traces");
        assertThat(b).hasSize(1);
        assertThat(b.get(0).get("recipients")).extracting(JsonNode::asText).containsExactly("user@b.test");
        assertThat(b.get(0).get("events")).extracting(e -> e.get("address").asText()).containsExactly("user@b.test");
        assertThat(b.get(0).get("client_address").isNull()).isTrue();
        // a message b.test has nothing to do with: as if absent
        long other = f.message("other@a.test", "other@a.test", List.of("q@remote.example"), List.of(), "<trace-2@a.test>");
        assertThat(call(auth("domainB"), "GET", "/trace?queue_id=" + other, null, "/trace").json().get("traces")).isEmpty();
        assertThat(call(auth("user"), "GET", "/trace?queue_id=" + other, null, "/trace").json().get("traces")).isEmpty();
        assertThat(call(auth("user"), "GET", "/trace", null, "/trace").status()).isEqualTo(400);
    }

    @Test
    void basicAuthWithTheAccountPassword() throws Exception {
        String good = "Basic " + Base64.getEncoder().encodeToString(("dom@b.test:" + ApiFixture.PASSWORD).getBytes(StandardCharsets.UTF_8));
        Resp r = call(good, "GET", "/me", null, "/me");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("via").asText()).isEqualTo("basic");
        assertThat(r.json().get("role").asText()).isEqualTo("domain-admin");
        assertThat(r.json().get("domains")).extracting(JsonNode::asText).containsExactly("b.test");
        String bad = "Basic " + Base64.getEncoder().encodeToString("dom@b.test:wrong password!".getBytes(StandardCharsets.UTF_8));
        String unknown = "Basic " + Base64.getEncoder().encodeToString("ghost@b.test:wrong password!".getBytes(StandardCharsets.UTF_8));
        Resp b1 = call(bad, "GET", "/me", null, "/me");
        Resp b2 = call(unknown, "GET", "/me", null, "/me");
        assertThat(b1.status()).isEqualTo(401);
        assertThat(b2.status()).isEqualTo(401);
        assertThat(b1.raw().body()).isEqualTo(b2.raw().body()); // an unknown account looks like a wrong password
        assertThat(call("Basic !!!", "GET", "/me", null, "/me").status()).isEqualTo(401);
        assertThat(call("Digest x", "GET", "/me", null, "/me").status()).isEqualTo(401);
        assertThat(call("Bearer spt_short", "GET", "/me", null, "/me").status()).isEqualTo(401);
        assertThat(call("Bearer " + ApiToken.generate(), "GET", "/me", null, "/me").status()).isEqualTo(401);
    }

    @Test
    void tokenScopeCapsTheAccountsRoles() throws Exception {
        String selfToken = ApiToken.generate();
        f.store.apiAccess().addToken("root@a.test", "self only", dev.sealpost.store.ApiAccess.Scope.SELF, ApiToken.hash(selfToken));
        Resp me = call("Bearer " + selfToken, "GET", "/me", null, "/me");
        assertThat(me.json().get("role").asText()).isEqualTo("user");
        assertThat(me.json().get("scope").asText()).isEqualTo("self");
        assertThat(call("Bearer " + selfToken, "GET", "/domains", null, "/domains").status()).isEqualTo(403);
        assertThat(call("Bearer " + selfToken, "GET", "/accounts/root@a.test", null, "/accounts/{address}").status()).isEqualTo(200);
        // a role taken away is gone at the next request, token or not
        String t = ApiToken.generate();
        f.store.directory().addAccount("temp@b.test", ApiFixture.PASSWORD.toCharArray());
        f.store.apiAccess().grantDomainAdmin("temp@b.test", "b.test");
        f.store.apiAccess().addToken("temp@b.test", "x", dev.sealpost.store.ApiAccess.Scope.ADMIN, ApiToken.hash(t));
        assertThat(call("Bearer " + t, "GET", "/accounts?domain=b.test", null, "/accounts").status()).isEqualTo(200);
        f.store.apiAccess().clearRoles("temp@b.test");
        assertThat(call("Bearer " + t, "GET", "/accounts?domain=b.test", null, "/accounts").status()).isEqualTo(403);
    }

    @Test
    void badRequestsGetClearJsonErrors() throws Exception {
        String admin = auth("admin");
        Resp notJson = call(admin, "POST", "/domains", "{\"name\": ", "/domains");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").asText()).isEqualTo("bad_request");
        assertThat(call(admin, "POST", "/domains", "{\"name\":\"x.test\",\"name\":\"y.test\"}", "/domains").status()).isEqualTo(400);
        assertThat(call(admin, "POST", "/domains", "[1,2]", "/domains").status()).isEqualTo(400);
        assertThat(call(admin, "POST", "/domains", "{\"name\":5}", "/domains").json().get("message").asText()).contains("'name'");
        assertThat(call(admin, "POST", "/domains", "{\"name\":\"a.test\"}", "/domains").status()).isEqualTo(409);
        assertThat(call(admin, "DELETE", "/domains/a.test", null, "/domains/{domain}").status()).isEqualTo(409); // has accounts
        assertThat(call(admin, "GET", "/queue/abc", null, "/queue/{id}").status()).isEqualTo(400);
        assertThat(call(admin, "GET", "/queue/999999", null, "/queue/{id}").status()).isEqualTo(404);
        assertThat(call(admin, "PUT", "/accounts/user@a.test/quota", "{\"quota_bytes\":-1}", "/accounts/{address}/quota").status()).isEqualTo(400);
        assertThat(call(admin, "GET", "/nothing", null, null).status()).isEqualTo(404);
        assertThat(call(admin, "GET", "/accounts/%C3%28@a.test", null, null).status()).isEqualTo(400);
        // 405 with Allow, before authentication
        Resp m = call(null, "PATCH", "/domains", null, null);
        assertThat(m.status()).isEqualTo(405);
        assertThat(m.raw().headers().firstValue("Allow")).contains("GET, POST");
        assertThat(call(admin, "OPTIONS", "/me", null, null).status()).isEqualTo(405);
        // 415: not JSON
        HttpRequest form = HttpRequest.newBuilder(URI.create(f.base() + "/domains")).header("Authorization", admin)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("name=x.test")).build();
        HttpResponse<String> r = client.send(form, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(415);
        // 413: a body over the limit
        String big = "{\"name\":\"" + "x".repeat(AdminApi.DEFAULT_MAX_BODY) + "\"}";
        assertThat(call(admin, "POST", "/domains", big, "/domains").status()).isEqualTo(413);
        // the plain HTTP listener does not serve the API
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + f.server.httpPort() + "/api/v1/me")).header("Authorization", admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(404);
        assertThat(plain.body()).contains("HTTPS listener only");
    }

    @Test
    void repeatedFailedLoginsAreThrottledLikeTheMailProtocols(@TempDir Path other) throws Exception {
        LoginThrottle throttle = new LoginThrottle(java.time.Clock.systemUTC(), new LoginThrottle.Settings(2, Duration.ofMillis(1),
                Duration.ofMillis(5), Duration.ofMinutes(10), 3, 10_000));
        try (ApiFixture g = new ApiFixture(other, new LoginGate(throttle))) {
            String bad = "Basic " + Base64.getEncoder().encodeToString("user@a.test:not the password".getBytes(StandardCharsets.UTF_8));
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(g.base() + "/me")).header("Authorization", bad).build();
                HttpClient c = HttpClient.newBuilder().sslContext(g.clientTls).build();
                statuses.add(c.send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            assertThat(statuses).startsWith(401).contains(429);
        }
    }
}
