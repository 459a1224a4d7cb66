package dev.sealpost.app;

import dev.sealpost.app.cli.KeysCommandAccess;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.openpgp.WebKeyDirectory;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.Peers;
import dev.sealpost.web.WebServer;
import dev.sealpost.web.WebServerConfig;
import dev.sealpost.web.WkdHosting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WKD hosting as the server wires it ({@link SealpostServer#wkdHosting}): the URL that
 * gpg-wks-client prints (else {@link WebKeyDirectory}'s), fetched with curl over HTTPS with the
 * certificate checked, returns the account's current key, which gpg imports; the direct method,
 * the policy files, unknown hashes, revoked keys and the plain-HTTP listener.
 */
class WkdHostingTest {
    @TempDir
    Path dir;
    @TempDir
    Path work;
    Store store;
    WebServer web;
    String fpr;

    @BeforeEach
    void start() throws Exception {
        store = JdbcStore.open(StoreConfig.sqlite(dir), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount("alice@example.test", "pw alice 123".toCharArray());
        store.directory().addAccount("bob@example.test", "pw bob 123456".toCharArray());
        fpr = KeysCommandAccess.generatePgp(store, "alice@example.test", KeyProfile.V4_CURVE25519).fingerprint();
        Path cert = work.resolve("cert.pem"), key = work.resolve("key.pem");
        TlsFiles.writeSelfSigned(cert, key, "example.test", List.of("example.test", "openpgpkey.example.test"), List.of());
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        web = new WebServer(WebServerConfig.defaults("mx.example.test").withHttp(any)
                .withHttps(any, dev.sealpost.core.tls.ServerTls.of(TlsFiles.serverContext(cert, key))), store.directory());
        web.route(WkdHosting.PREFIX, SealpostServer.wkdHosting(store));
        web.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) web.close();
        if (store != null) store.close();
        Path gnupg = work.resolve("gnupg");
        if (Files.isDirectory(gnupg)) sh(Map.of("GNUPGHOME", gnupg.toString()), "gpgconf", "--kill", "gpg-agent");
    }

    record Res(int exit, byte[] out, String err) {}

    Res sh(Map<String, String> env, String... cmd) throws Exception {
        Path o = Files.createTempFile(work, "out", ".bin"), e = Files.createTempFile(work, "err", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(o.toFile()).redirectError(e.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out");
        }
        return new Res(p.exitValue(), Files.readAllBytes(o), Files.readString(e, StandardCharsets.ISO_8859_1));
    }

    /** The advanced-method URL for an address: gpg-wks-client's when installed, else ours. */
    String advancedUrl(String address) throws Exception {
        for (String tool : List.of("/usr/bin/gpg-wks-client", "/usr/lib/gnupg/gpg-wks-client")) {
            if (Files.isExecutable(Path.of(tool))) {
                Res r = sh(Map.of(), tool, "--print-wkd-url", address);
                assertThat(r.exit()).as(r.err()).isZero();
                String url = new String(r.out(), StandardCharsets.US_ASCII).strip();
                assertThat(url).isEqualTo(WebKeyDirectory.advancedUrl(address));
                return url;
            }
        }
        return WebKeyDirectory.advancedUrl(address);
    }

    /** curl with the certificate checked, the URL's host resolved to our listener; status and body. */
    Res curl(String url) throws Exception {
        URI u = URI.create(url);
        int port = url.startsWith("https:") ? web.httpsPort() : web.httpPort();
        String local = u.getScheme() + "://" + u.getHost() + ":" + port + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", work.resolve("cert.pem").toString(),
                "--resolve", u.getHost() + ":" + port + ":127.0.0.1", "-w", "\n%{http_code} %{content_type}", local));
        Res r = sh(Map.of(), cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    static String status(Res r) {
        String s = new String(r.out(), StandardCharsets.ISO_8859_1);
        return s.substring(s.lastIndexOf('\n') + 1);
    }

    static byte[] body(Res r) {
        String s = new String(r.out(), StandardCharsets.ISO_8859_1);
        return s.substring(0, s.lastIndexOf('\n')).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void gpgImportsTheKeyFetchedFromTheAdvancedUrl() throws Exception {
        Peers.require("curl");
        Res adv = curl(advancedUrl("alice@example.test"));
        assertThat(status(adv)).isEqualTo("200 application/octet-stream");
        byte[] key = body(adv);
        assertThat(key).isEqualTo(store.keys().currentOwn("alice@example.test", Keys.Type.OPENPGP).orElseThrow().publicKey());
        assertThat(OpenPgpKeys.fingerprint(OpenPgpKeys.readCertificate(key))).isEqualTo(fpr);

        Peers.require("gpg");
        Path home = Files.createDirectories(work.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.write(work.resolve("fetched.key"), key);
        Map<String, String> env = Map.of("GNUPGHOME", home.toString());
        Res imp = sh(env, "gpg", "--batch", "--import", "fetched.key");
        assertThat(imp.exit()).as(imp.err()).isZero();
        assertThat(imp.err()).contains("<alice@example.test>").contains("imported: 1");
        Res list = sh(env, "gpg", "--batch", "--with-colons", "--list-keys", "alice@example.test");
        assertThat(new String(list.out(), StandardCharsets.US_ASCII)).contains("fpr:::::::::" + fpr + ":");
    }

    @Test
    void directMethodPolicyUnknownRevokedAndPlainHttp() throws Exception {
        Peers.require("curl");
        String hash = WebKeyDirectory.hash("alice");
        Res direct = curl(WebKeyDirectory.directUrl("alice@example.test"));
        assertThat(status(direct)).isEqualTo("200 application/octet-stream");
        assertThat(OpenPgpKeys.fingerprint(OpenPgpKeys.readCertificate(body(direct)))).isEqualTo(fpr);
        assertThat(status(curl("https://example.test/.well-known/openpgpkey/policy"))).startsWith("200 ");
        assertThat(status(curl("https://openpgpkey.example.test/.well-known/openpgpkey/example.test/policy"))).startsWith("200 ");
        // bob has no key, carol no account; a hash that is not one; the advanced path under the wrong Host
        assertThat(status(curl(WebKeyDirectory.advancedUrl("bob@example.test")))).startsWith("404 ");
        assertThat(status(curl(WebKeyDirectory.directUrl("carol@example.test")))).startsWith("404 ");
        assertThat(status(curl("https://example.test/.well-known/openpgpkey/hu/not-a-hash"))).startsWith("404 ");
        assertThat(status(curl("https://example.test/.well-known/openpgpkey/example.test/hu/" + hash))).startsWith("404 ");
        // not over plain HTTP
        assertThat(status(curl("http://example.test/.well-known/openpgpkey/hu/" + hash))).startsWith("404 ");
        // a revoked key is no longer published; a newer one would be
        store.keys().revokeOwn(store.keys().currentOwn("alice@example.test", Keys.Type.OPENPGP).orElseThrow().id());
        assertThat(status(curl(WebKeyDirectory.directUrl("alice@example.test")))).startsWith("404 ");
    }
}
