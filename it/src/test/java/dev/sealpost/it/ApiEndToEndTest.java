package dev.sealpost.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.app.Main;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API through the whole server, as docs/api.md tells an administrator to use it: a role
 * and a token made with the CLI ({@code account role}, {@code token create}), then the real
 * {@code curl} over HTTPS (certificate checked): who am I, a domain with its DNS records from the
 * {@code dns records} code, an account added and logging in, the trace of a message that came in
 * over SMTP, and the token revoked with the CLI refused at once.
 */
class ApiEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("curl");
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static String cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--data", dir.resolve("data").toString()));
            rc = Main.run(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as("sealpost %s: %s", List.of(args), out).isZero();
        return out;
    }

    record Out(int status, JsonNode json) {}

    static Out curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", server.cert.toString(), "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Peers.Result r = Peers.run(cmd, dir, 30);
        assertThat(r.exit()).as("curl: %s", r.output()).isZero();
        String o = r.output();
        int nl = o.lastIndexOf('\n');
        String body = o.substring(0, nl);
        return new Out(Integer.parseInt(o.substring(nl + 1).strip()), body.isEmpty() ? null : JSON.readTree(body));
    }

    static String api(String path) {
        return "https://localhost:" + server.server.httpPort(true) + "/api/v1" + path;
    }

    @Test
    void anAdministratorDrivesTheServerWithATokenFromTheCli() throws Exception {
        assertThat(cli("account", "role", TestServer.USER, "admin")).contains("alice@example.test\tadmin");
        String created = cli("token", "create", TestServer.USER, "--name", "it");
        String[] lines = created.strip().split("\n");
        String token = lines[lines.length - 1].strip();
        assertThat(token).startsWith("spt_").hasSize(47);
        assertThat(cli("token", "list", TestServer.USER)).contains("scope=admin").contains("name=it").doesNotContain(token);
        String auth = "Authorization: Bearer " + token;

        Out me = curl("-H", auth, api("/me"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("role").asText()).isEqualTo("admin");

        Out domain = curl("-H", auth, api("/domains/example.test"));
        assertThat(domain.status()).isEqualTo(200);
        // the same text as 'sealpost dns records example.test'
        assertThat(domain.json().get("dns_records").asText()).contains("example.test. IN MX 10 mx.example.test.").contains("_mta-sts.example.test.");

        Out added = curl("-H", auth, "-H", "Content-Type: application/json", "-d", "{\"address\":\"carol@example.test\",\"generate_password\":true}", api("/accounts"));
        assertThat(added.status()).isEqualTo(201);
        String pw = added.json().get("generated_password").asText();
        Out carol = curl("-u", "carol@example.test:" + pw, api("/me"));
        assertThat(carol.json().get("role").asText()).isEqualTo("user");
        assertThat(curl("-u", "carol@example.test:" + pw, api("/accounts/alice@example.test")).status()).isEqualTo(403);
        // the password policy of the server applies
        Out weak = curl("-X", "PUT", "-u", "carol@example.test:" + pw, "-H", "Content-Type: application/json", "-d", "{\"password\":\"password\"}",
                api("/accounts/carol@example.test/password"));
        assertThat(weak.status()).isEqualTo(400);

        server.deliverLocal("carol@example.test", "Message-ID: <api-e2e@elsewhere.test>\r\nSubject: hi\r\n\r\nhello\r\n");
        Out trace = curl("-u", "carol@example.test:" + pw, api("/trace?message_id=%3Capi-e2e@elsewhere.test%3E"));
        assertThat(trace.status()).isEqualTo(200);
        JsonNode events = trace.json().get("traces").get(0).get("events");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("type").asText()).isEqualTo("delivered");
            assertThat(e.get("address").asText()).isEqualTo("carol@example.test");
        });

        String id = lines[0].replaceAll("^created token (\\d+) .*$", "$1");
        assertThat(cli("token", "revoke", id)).contains("revoked token " + id);
        assertThat(curl("-H", auth, api("/me")).status()).isEqualTo(401);
    }
}
