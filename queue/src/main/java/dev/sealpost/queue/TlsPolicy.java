package dev.sealpost.queue;

import dev.sealpost.smtp.client.ClientSettings;
import dev.sealpost.smtp.client.TlsRequirement;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Decides, per destination domain and MX host, what TLS a connection must have. The default is
 * RFC 7435 opportunistic STARTTLS; module {@code tlspolicy} plugs in DANE (RFC 7672) and MTA-STS
 * (RFC 8461) by implementing this interface. Messages with REQUIRETLS (RFC 8689) always get at
 * least {@link TlsRequirement#PKIX}, whatever the policy says.
 */
@FunctionalInterface
public interface TlsPolicy {

    /**
     * @param domain     the destination domain (A-label), or the relay host for a smarthost
     * @param host       the MX (or relay) host name the connection goes to
     * @param requireTls the messages for this connection carry REQUIRETLS (RFC 8689 §4.2.1)
     */
    TlsDecision decide(String domain, String host, boolean requireTls);

    /**
     * What to do on one connection.
     *
     * @param requirement what STARTTLS must achieve ({@link dev.sealpost.smtp.client.SmtpConnection#startTls})
     * @param factory     the socket factory whose trust manager runs the handshake
     * @param mandatory   no STARTTLS, or a failed one, means this host cannot be used (else: plaintext is fine)
     * @param reason      a short text for logs and DSNs ("opportunistic", "MTA-STS enforce", "DANE")
     */
    record TlsDecision(TlsRequirement requirement, SSLSocketFactory factory, boolean mandatory, String reason) {
        public TlsDecision {
            Objects.requireNonNull(requirement, "requirement");
            Objects.requireNonNull(factory, "factory");
        }
    }

    /**
     * Opportunistic STARTTLS (any certificate, PKIX recorded), PKIX and mandatory for REQUIRETLS
     * messages, checked against {@code client}'s PKIX anchors.
     */
    static TlsPolicy opportunistic(ClientSettings client) {
        SSLSocketFactory any = trustAll();
        SSLSocketFactory pkix = pkixFactory(client.pkixTrust());
        return (domain, host, requireTls) -> requireTls
                ? new TlsDecision(TlsRequirement.PKIX, pkix, true, "REQUIRETLS")
                : new TlsDecision(TlsRequirement.OPPORTUNISTIC, any, false, "opportunistic");
    }

    /** PKIX-verified and mandatory TLS for every connection (a smarthost we send passwords to). */
    static TlsPolicy pkixRequired(ClientSettings client) {
        SSLSocketFactory pkix = pkixFactory(client.pkixTrust());
        return (domain, host, requireTls) -> new TlsDecision(TlsRequirement.PKIX, pkix, true, "PKIX required");
    }

    /** A socket factory whose handshake accepts any certificate (RFC 7435: PKIX is checked and recorded afterwards). */
    static SSLSocketFactory trustAll() {
        TrustManager all = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        return context(all);
    }

    /** A socket factory that validates the chain against {@code trust}. */
    static SSLSocketFactory pkixFactory(X509TrustManager trust) {
        return context(trust);
    }

    private static SSLSocketFactory context(TrustManager tm) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{tm}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS unavailable", e);
        }
    }
}
