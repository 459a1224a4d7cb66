package dev.sealpost.queue;

import dev.sealpost.smtp.client.ClientSettings;
import dev.sealpost.smtp.client.TlsOutcome;
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
 * RFC 7435 opportunistic STARTTLS; {@link SecureTlsPolicy} implements this interface with DANE
 * (RFC 7672) and MTA-STS (RFC 8461), over the look-ups and matching of module {@code tlspolicy}.
 * Messages with REQUIRETLS (RFC 8689) always get at least {@link TlsRequirement#PKIX}, whatever
 * the policy says.
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
     * As {@link #decide(String, String, boolean)}, for a connection that carries only TLS-RPT
     * reports when {@code report} is set: RFC 8460 §5.3.1 says such mail MUST NOT honour MTA-STS
     * or DANE failures, so policies that implement those return opportunistic TLS for it.
     */
    default TlsDecision decide(String domain, String host, boolean requireTls, boolean report) {
        return decide(domain, host, requireTls);
    }

    /** Why a policy-governed STARTTLS did not happen or failed (reported to {@link Observer#failed}). */
    enum Failure {
        /** The server did not offer STARTTLS, or refused it (RFC 8460 §4.3.1 starttls-not-supported). */
        STARTTLS_NOT_OFFERED,
        /** The handshake failed (including a certificate the decision's trust manager rejected). */
        HANDSHAKE,
        /** The handshake completed but the certificate did not meet {@link TlsRequirement#PKIX}. */
        CERTIFICATE
    }

    /**
     * Told what became of the TLS decided for one connection (for TLS-RPT, RFC 8460). Called at
     * most once per connection attempt, from the delivery thread; must not throw.
     */
    interface Observer {
        Observer NONE = new Observer() {
            @Override public void established(TlsOutcome outcome) { }
            @Override public void failed(Failure failure, String detail) { }
        };

        /** STARTTLS succeeded (and met the requirement). */
        void established(TlsOutcome outcome);

        /**
         * STARTTLS was not offered or failed; {@code detail} is the client's description. When the
         * decision was not mandatory the session goes on in cleartext afterwards (RFC 7435 §3).
         */
        void failed(Failure failure, String detail);
    }

    /**
     * What to do on one connection.
     *
     * @param requirement what STARTTLS must achieve ({@link dev.sealpost.smtp.client.SmtpConnection#startTls})
     * @param factory     the socket factory whose trust manager runs the handshake (null only with a refusal)
     * @param mandatory   no STARTTLS, or a failed one, means this host cannot be used (else: plaintext is fine)
     * @param reason      a short text for logs and DSNs ("opportunistic", "MTA-STS enforce", "DANE")
     * @param refusal     non-null: do not connect to this host at all, for this reason (a DNSSEC-bogus TLSA
     *                    look-up, RFC 7672 §2.2; an MX an enforced MTA-STS policy does not list, RFC 8461 §4.1);
     *                    the messages are deferred unless another host takes them
     * @param observer    told how the TLS went ({@link Observer#NONE} when nobody listens)
     */
    record TlsDecision(TlsRequirement requirement, SSLSocketFactory factory, boolean mandatory, String reason, String refusal,
                       Observer observer) {
        public TlsDecision {
            Objects.requireNonNull(requirement, "requirement");
            if (refusal == null) Objects.requireNonNull(factory, "factory");
            if (observer == null) observer = Observer.NONE;
        }

        public TlsDecision(TlsRequirement requirement, SSLSocketFactory factory, boolean mandatory, String reason) {
            this(requirement, factory, mandatory, reason, null, Observer.NONE);
        }

        /** Do not connect to this host. */
        public static TlsDecision refuse(String why) {
            return new TlsDecision(TlsRequirement.PKIX, null, true, why, why, Observer.NONE);
        }

        public TlsDecision withObserver(Observer o) {
            return new TlsDecision(requirement, factory, mandatory, reason, refusal, o);
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
