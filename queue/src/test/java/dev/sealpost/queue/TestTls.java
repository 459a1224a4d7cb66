package dev.sealpost.queue;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for relay.test / localhost / 127.0.0.1 made once per run with keytool, and a trust manager anchored on it. */
final class TestTls {
    private TestTls() {}

    private static SSLContext server;
    private static X509Certificate cert;

    static synchronized SSLContext server() throws Exception {
        if (server != null) return server;
        Path dir = Files.createTempDirectory("sealpost-queue-tls");
        Path ks = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "mx", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=relay.test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit",
                "-ext", "SAN=dns:relay.test,dns:localhost,ip:127.0.0.1"))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("keytool failed: " + output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        cert = (X509Certificate) store.getCertificate("mx");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        Files.delete(ks);
        Files.delete(dir);
        server = ctx;
        return ctx;
    }

    /** PKIX trust with the test certificate as the only anchor. */
    static X509TrustManager trust() throws Exception {
        server();
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("anchor", cert);
        TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
        f.init(ts);
        return (X509TrustManager) f.getTrustManagers()[0];
    }
}
