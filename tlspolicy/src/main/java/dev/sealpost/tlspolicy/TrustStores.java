package dev.sealpost.tlspolicy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * WebPKI trust for MTA-STS policy fetches and MTA-STS-governed SMTP connections: the JDK's CA set,
 * optionally plus extra CAs from PEM files (the {@code --tls-ca FILE} option), or only those.
 */
public final class TrustStores {
    /** Largest PEM file read. */
    public static final int MAX_PEM_BYTES = 4 * 1024 * 1024;

    private TrustStores() {}

    /** The certificates in a PEM (or DER) file; fails when it holds none. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        if (Files.size(file) > MAX_PEM_BYTES) throw new IOException(file + ": larger than " + MAX_PEM_BYTES + " bytes");
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new IOException(file + ": no certificate found");
            return out;
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM or DER certificate file: " + e.getMessage(), e);
        }
    }

    /**
     * A PKIX trust manager for the given CAs, plus the JDK's default CAs when
     * {@code includeJdkDefaults}. No revocation checks (as the JDK default).
     */
    public static X509TrustManager trustManager(List<X509Certificate> extraCas, boolean includeJdkDefaults) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int n = 0;
            if (includeJdkDefaults) {
                for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) ks.setCertificateEntry("jdk-" + n++, ca);
            }
            for (X509Certificate ca : extraCas) ks.setCertificateEntry("extra-" + n++, ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return firstX509(tmf.getTrustManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    /** The JDK's default trust manager (its {@code cacerts}). */
    public static X509TrustManager defaultTrustManager() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            return firstX509(tmf.getTrustManagers());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no default trust manager", e);
        }
    }

    /** A TLS client context that trusts through the given trust manager (no client certificate). */
    public static SSLContext clientContext(TrustManager trustManager) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustManager}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private static X509TrustManager firstX509(TrustManager[] tms) {
        for (TrustManager tm : tms) if (tm instanceof X509TrustManager x) return x;
        throw new IllegalStateException("no X509TrustManager");
    }
}
