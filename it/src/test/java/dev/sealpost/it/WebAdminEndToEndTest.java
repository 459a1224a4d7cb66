package dev.sealpost.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.testkit.Peers;
import dev.sealpost.web.admin.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web admin through the whole server (as {@code SealpostServer} wires it), driven by the real
 * {@code curl} with a cookie jar over HTTPS: the bundled page with its headers, the login, a
 * change refused without the CSRF token and made with it, TOTP turned on with the CLI and the
 * printed secret used for a code (and refused the second time), logout.
 */
class WebAdminEndToEndTest {
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

    record Out(int status, String headers, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    static Out curl(String... args) throws Exception {
        Path headers = Files.createTempFile(dir, "h", ".txt");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", server.cert.toString(),
                "-b", dir.resolve("jar").toString(), "-c", dir.resolve("jar").toString(), "-D", headers.toString(), "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Peers.Result r = Peers.run(cmd, dir, 30);
        assertThat(r.exit()).as("curl: %s", r.output()).isZero();
        String o = r.output();
        int nl = o.lastIndexOf('\n');
        return new Out(Integer.parseInt(o.substring(nl + 1).strip()), Files.readString(headers), o.substring(0, nl));
    }

    static String cli(String... args) {
        java.io.PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        int rc;
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--data", dir.resolve("data").toString()));
            rc = dev.sealpost.app.Main.run(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(rc).as("sealpost %s: %s", List.of(args), out).isZero();
        return out;
    }

    static String url(String path) {
        return "https://localhost:" + server.server.httpPort(true) + path;
    }

    static Out login(String code) throws Exception {
        List<String> a = new ArrayList<>(List.of("--data-urlencode", "address=" + TestServer.USER, "--data-urlencode", "password=" + TestServer.PASSWORD));
        if (code != null) a.addAll(List.of("--data-urlencode", "totp=" + code));
        a.add(url("/admin/login"));
        return curl(a.toArray(String[]::new));
    }

    @Test
    void loginCsrfTotpAndLogoutThroughTheServer() throws Exception {
        Out page = curl(url("/admin/"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"app.js\" defer></script>");
        assertThat(page.headers()).containsIgnoringCase("content-security-policy: default-src 'self'").containsIgnoringCase("x-frame-options: DENY")
                .containsIgnoringCase("referrer-policy: no-referrer");

        assertThat(cli("account", "role", TestServer.USER, "admin")).contains("admin");
        Out in = login(null);
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        assertThat(in.headers()).containsPattern("(?i)set-cookie: __Host-sealpost-session=[A-Za-z0-9_-]{43}; Secure; HttpOnly; SameSite=Strict; Path=/");
        String csrf = in.json().get("csrf").asText();
        assertThat(curl(url("/api/v1/me")).json().get("via").asText()).isEqualTo("session");

        String body = "{\"address\":\"dave@example.test\",\"generate_password\":true}";
        Out refused = curl("-H", "Content-Type: application/json", "-d", body, url("/api/v1/accounts"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asText()).isEqualTo("csrf");
        Out added = curl("-H", "Content-Type: application/json", "-H", "X-CSRF-Token: " + csrf, "-d", body, url("/api/v1/accounts"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);

        // TOTP on with the CLI; the printed secret gives the code
        String printed = cli("account", "totp", "enable", TestServer.USER);
        String secret = printed.lines().filter(l -> l.startsWith("secret: ")).findFirst().orElseThrow().substring(8);
        byte[] key = base32(secret);
        assertThat(login(null).json().get("error").asText()).isEqualTo("totp_required");
        String code = Totp.code(key, Totp.step(Instant.now()), 6);
        Out second = login(code);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(login(code).status()).isEqualTo(401); // the same code again
        cli("account", "totp", "disable", TestServer.USER);

        String csrf2 = second.json().get("csrf").asText();
        assertThat(curl("-X", "POST", "-H", "X-CSRF-Token: " + csrf, url("/admin/logout")).status()).isEqualTo(403); // the old session's token
        assertThat(curl("-X", "POST", "-H", "X-CSRF-Token: " + csrf2, url("/admin/logout")).status()).isEqualTo(200);
        assertThat(curl(url("/api/v1/me")).status()).isEqualTo(401);
    }

    static byte[] base32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0, bits = 0;
        for (char c : s.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
