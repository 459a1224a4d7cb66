package dev.sealpost.tlspolicy.dane;

import dev.sealpost.dns.TlsaRecord;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager for one outbound SMTP connection to a DANE-protected MX host: the server chain
 * is accepted exactly when {@link TlsaMatcher} matches it; the verdict is kept for logging and
 * TLS-RPT ({@link #verdict()}). Plug it into the connection's {@code SSLContext}; do not set an
 * endpoint identification algorithm (DANE-EE ignores names; DANE-TA name checks are done here).
 * Extends {@link X509ExtendedTrustManager} so that JSSE adds no checks of its own.
 * One instance per connection; thread-safe.
 */
public final class DaneTrustManager extends X509ExtendedTrustManager {
    private final List<TlsaRecord> records;
    private final Set<String> referenceNames;
    private final Clock clock;
    private final AtomicReference<DaneVerdict> verdict = new AtomicReference<>();

    /**
     * @param records        the usable TLSA records ({@link DaneLookup.Usable#records()})
     * @param referenceNames names for DANE-TA name checks (see {@link TlsaMatcher#verify})
     */
    public DaneTrustManager(List<TlsaRecord> records, Set<String> referenceNames, Clock clock) {
        this.records = List.copyOf(records);
        this.referenceNames = Set.copyOf(referenceNames);
        this.clock = clock;
    }

    /** The verdict of the last handshake, if one reached certificate checking. */
    public Optional<DaneVerdict> verdict() {
        return Optional.ofNullable(verdict.get());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        DaneVerdict v = TlsaMatcher.verify(records, chain == null ? List.of() : Arrays.asList(chain), referenceNames,
                Date.from(clock.instant()));
        verdict.set(v);
        if (v instanceof DaneVerdict.Failed f) throw new CertificateException("DANE: " + f.reason() + ": " + f.detail());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("DANE trust manager is for server certificates only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
