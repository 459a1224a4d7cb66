package dev.sealpost.smtp.client;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The result of a successful STARTTLS, kept for logs, Received fields and TLS-RPT (RFC 8460).
 *
 * @param peerName     the name the certificate was checked against (and sent with SNI)
 * @param requirement  what the caller required
 * @param protocol     e.g. {@code TLSv1.3}
 * @param cipherSuite  e.g. {@code TLS_AES_256_GCM_SHA384}
 * @param peerChain    the server's certificate chain, leaf first
 * @param pkixValid    the chain validated against the PKIX trust anchors <em>and</em> the leaf
 *                     matched {@code peerName}; checked and recorded in every mode
 * @param pkixProblem  why PKIX validation failed, or null when it passed
 */
public record TlsOutcome(String peerName, TlsRequirement requirement, String protocol, String cipherSuite,
                         List<X509Certificate> peerChain, boolean pkixValid, String pkixProblem) {
    public TlsOutcome {
        peerChain = List.copyOf(peerChain);
    }

    /**
     * The server is authenticated: by PKIX, or by the caller's trust manager (DANE) when the
     * requirement was {@link TlsRequirement#TRUST_MANAGER}. REQUIRETLS needs this (RFC 8689 §4.2.1).
     */
    public boolean authenticated() {
        return pkixValid || requirement == TlsRequirement.TRUST_MANAGER;
    }

    /** One line for logs: protocol, cipher and the certificate verdict. */
    public String describe() {
        return protocol + " " + cipherSuite + (pkixValid ? " verified" : " not verified (" + pkixProblem + ")")
                + (requirement == TlsRequirement.TRUST_MANAGER ? " trust-manager-authenticated" : "");
    }
}
