package dev.sealpost.testkit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC certificate ({@code CN=localhost}) for {@code relay.test}, {@code localhost},
 * {@code *.mx.test} and {@code 127.0.0.1}, made once per test run with the JDK's keytool, and TLS
 * contexts around it: the server's, a client that trusts anything, and PKIX trust anchored on the
 * certificate.
 */
public final class TestTls {
    private TestTls() {}

    private static SSLContext server;
    private static X509Certificate cert;

    /** The server context holding the certificate and its key. */
    public static synchronized SSLContext server() throws Exception {
        if (server != null) return server;
        Path dir = Files.createTempDirectory("sealpost-test-tls");
        Path ks = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit",
                "-ext", "SAN=dns:relay.test,dns:localhost,dns:*.mx.test,ip:127.0.0.1"))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("keytool failed: " + output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        cert = (X509Certificate) store.getCertificate("test");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        Files.delete(ks);
        Files.delete(dir);
        server = ctx;
        return ctx;
    }

    /** A client context that trusts any certificate (tests only), limited to the given protocol. */
    public static SSLContext client(String protocol) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext ctx = SSLContext.getInstance(protocol);
        ctx.init(null, new TrustManager[]{trustAll}, null);
        return ctx;
    }

    /** PKIX trust with the test certificate as the only anchor. */
    public static X509TrustManager trust() throws Exception {
        server();
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("anchor", cert);
        TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
        f.init(ts);
        return (X509TrustManager) f.getTrustManagers()[0];
    }
}
