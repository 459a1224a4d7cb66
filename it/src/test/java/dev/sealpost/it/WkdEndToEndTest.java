package dev.sealpost.it;

import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.openpgp.WebKeyDirectory;
import dev.sealpost.store.Keys;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 through the whole server: its HTTPS listener publishes alice's OpenPGP key by WKD
 * (advanced and direct methods) as soon as the key is in the store; curl fetches it with the
 * certificate checked, and a revoked key is gone.
 */
class WkdEndToEndTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("tls"));
        TlsFiles.writeSelfSigned(dir.resolve("tls/cert.pem"), dir.resolve("tls/key.pem"), "localhost",
                List.of("localhost", "example.test", "openpgpkey.example.test"), List.of("127.0.0.1"));
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static Peers.Result curl(String url) throws Exception {
        Peers.require("curl");
        URI u = URI.create(url);
        int port = server.server.httpPort(true);
        String local = "https://" + u.getHost() + ":" + port + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        Path body = Files.createTempFile(dir, "wkd", ".bin");
        Peers.Result r = Peers.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", server.cert.toString(),
                "--resolve", u.getHost() + ":" + port + ":127.0.0.1", "-o", body.toString(), "-w", "%{http_code}", local), dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        return new Peers.Result(Integer.parseInt(r.output().strip()), Files.readString(body, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void theAccountsKeyIsPublishedAndUnpublished() throws Exception {
        assertThat(curl(WebKeyDirectory.advancedUrl(TestServer.USER)).exit()).isEqualTo(404);
        var key = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of(OpenPgpKeys.userIdFor(TestServer.USER)), Clock.systemUTC());
        byte[] cert = OpenPgpKeys.extractCertificate(key, false);
        Keys.OwnKey k = server.store().keys().addOwn(TestServer.USER, Keys.Type.OPENPGP, OpenPgpKeys.fingerprint(key), cert, OpenPgpKeys.encode(key, false));
        for (String url : List.of(WebKeyDirectory.advancedUrl(TestServer.USER), WebKeyDirectory.directUrl(TestServer.USER))) {
            Peers.Result r = curl(url);
            assertThat(r.exit()).as(url).isEqualTo(200);
            assertThat(r.output().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(cert);
        }
        assertThat(curl("https://openpgpkey.example.test/.well-known/openpgpkey/example.test/policy").exit()).isEqualTo(200);
        assertThat(curl(WebKeyDirectory.advancedUrl("bob@example.test")).exit()).isEqualTo(404);
        server.store().keys().revokeOwn(k.id());
        assertThat(curl(WebKeyDirectory.advancedUrl(TestServer.USER)).exit()).isEqualTo(404);
    }
}
