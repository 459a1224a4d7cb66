package dev.sealpost.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API driven by the real {@code curl} binary over HTTPS (certificate checked against the test
 * CA with {@code --cacert}), as docs/api.md shows it: Basic and bearer logins, JSON bodies with
 * {@code --json}/{@code -d}, the queue actions, and the error statuses curl sees.
 */
class AdminApiCurlTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static ApiFixture f;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("curl");
        f = new ApiFixture(dir, LoginGate.unthrottled());
    }

    @AfterAll
    static void stop() {
        if (f != null) f.close();
    }

    record Out(int status, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    /** curl with the CA, the status code on the last line; credentials through a config file on stdin would be nicer, a temp file will do. */
    static Out curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", f.caPem.toString(),
                "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Peers.Result r = Peers.run(cmd, dir, 30);
        assertThat(r.exit()).as("curl %s: %s", cmd, r.output()).isZero();
        String out = r.output();
        int nl = out.lastIndexOf('\n');
        return new Out(Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, nl));
    }

    @Test
    void basicLoginAndBearerTokenWithCurl() throws Exception {
        Out me = curl("-u", "user@a.test:" + ApiFixture.PASSWORD, f.base() + "/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("address").asText()).isEqualTo("user@a.test");
        assertThat(me.json().get("via").asText()).isEqualTo("basic");

        Out wrong = curl("-u", "user@a.test:nope-nope-nope", f.base() + "/me");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("unauthorized");

        Out admin = curl("-H", "Authorization: Bearer " + f.adminToken, f.base() + "/me");
        assertThat(admin.json().get("role").asText()).isEqualTo("admin");
        assertThat(curl("-H", "Authorization: Bearer " + f.revokedToken, f.base() + "/me").status()).isEqualTo(401);
        assertThat(curl(f.base() + "/me").status()).isEqualTo(401);
    }

    @Test
    void adminWorkflowWithCurl() throws Exception {
        String auth = "Authorization: Bearer " + f.adminToken;
        Out d = curl("-H", auth, "-H", "Content-Type: application/json", "-d", "{\"name\":\"curl.test\",\"dkim\":false}", f.base() + "/domains");
        assertThat(d.status()).as(d.body()).isEqualTo(201);
        Out a = curl("-H", auth, "-H", "Content-Type: application/json", "-d", "{\"address\":\"joe@curl.test\",\"generate_password\":true}", f.base() + "/accounts");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        String pw = a.json().get("generated_password").asText();
        assertThat(pw).hasSize(20);
        // the new account logs in with the generated password
        assertThat(curl("-u", "joe@curl.test:" + pw, f.base() + "/me").json().get("address").asText()).isEqualTo("joe@curl.test");
        Out q = curl("-X", "PUT", "-H", auth, "-H", "Content-Type: application/json", "-d", "{\"quota_bytes\":1048576}", f.base() + "/accounts/joe@curl.test/quota");
        assertThat(q.json().get("quota_bytes").asLong()).isEqualTo(1048576);
        Out al = curl("-H", auth, "-H", "Content-Type: application/json", "-d", "{\"source\":\"@curl.test\",\"target\":\"joe@curl.test\"}", f.base() + "/aliases");
        assertThat(al.status()).isEqualTo(201);
        assertThat(curl("-X", "DELETE", "-H", auth, f.base() + "/aliases/@curl.test/joe@curl.test").status()).isEqualTo(200);
        Out show = curl("-H", auth, f.base() + "/domains/curl.test");
        assertThat(show.json().get("accounts").asInt()).isEqualTo(1);
        assertThat(show.json().get("dns_records").asText()).contains("curl.test. IN MX 10");
        assertThat(curl("-X", "DELETE", "-H", auth, f.base() + "/accounts/joe@curl.test").status()).isEqualTo(200);
        assertThat(curl("-X", "DELETE", "-H", auth, f.base() + "/domains/curl.test").status()).isEqualTo(200);
        assertThat(f.store.directory().isLocalDomain("curl.test")).isFalse();
    }

    @Test
    void queueHoldReleaseAndBounceWithCurl() throws Exception {
        long id = f.message("user@a.test", "user@a.test", List.of("far@remote.example"), List.of(), "<curl-q@a.test>");
        String auth = "Authorization: Bearer " + f.domainAToken;
        Out list = curl("-H", auth, f.base() + "/queue");
        assertThat(list.json().get("messages")).anySatisfy(m -> assertThat(m.get("id").asLong()).isEqualTo(id));
        assertThat(curl("-X", "POST", "-H", auth, f.base() + "/queue/" + id + "/hold").json().get("recipients").asInt()).isEqualTo(1);
        assertThat(curl("-H", auth, f.base() + "/queue/" + id).json().get("held").asBoolean()).isTrue();
        assertThat(curl("-X", "POST", "-H", auth, f.base() + "/queue/" + id + "/release").json().get("recipients").asInt()).isEqualTo(1);
        Out b = curl("-H", auth, "-H", "Content-Type: application/json", "-d", "{\"reason\":\"not wanted\"}", f.base() + "/queue/" + id + "/bounce");
        assertThat(b.json().get("recipients").asInt()).isEqualTo(1);
        Out t = curl("-H", auth, f.base() + "/trace?queue_id=" + id);
        assertThat(t.json().get("traces").get(0).get("events")).anySatisfy(e -> {
            assertThat(e.get("type").asText()).isEqualTo("bounced");
            assertThat(e.get("detail").asText()).contains("not wanted");
        });
        // the other domain's admin cannot see it
        assertThat(curl("-H", "Authorization: Bearer " + f.domainBToken, f.base() + "/queue/" + id).status()).isEqualTo(404);
    }

    @Test
    void errorStatusesAsCurlSeesThem() throws Exception {
        String auth = "Authorization: Bearer " + f.adminToken;
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\"name\":\"" + "x".repeat(AdminApi.DEFAULT_MAX_BODY + 10) + "\"}", StandardCharsets.US_ASCII);
        Out tooBig = curl("-H", auth, "-H", "Content-Type: application/json", "--data-binary", "@" + big, f.base() + "/domains");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().get("error").asText()).isEqualTo("payload_too_large");
        assertThat(curl("-X", "PATCH", "-H", auth, f.base() + "/domains").status()).isEqualTo(405);
        assertThat(curl("-H", auth, "-d", "name=x", f.base() + "/domains").status()).isEqualTo(415);
        assertThat(curl("-H", "Authorization: Bearer " + f.userToken, f.base() + "/domains").status()).isEqualTo(403);
        Out headers = curl("-s", "-D", "-", "-o", "/dev/null", "-H", auth, f.base() + "/me");
        assertThat(headers.body().toLowerCase()).contains("cache-control: no-store").doesNotContain("access-control-allow");
    }
}
