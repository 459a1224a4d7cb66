package dev.sealpost.auth.dmarc;

import java.util.Objects;

/**
 * An authenticated identifier offered to DMARC (RFC 7489 §3.1, §4.2), decoupled from the SPF and
 * DKIM result types.
 *
 * @param method which mechanism produced it
 * @param domain SPF: the RFC5321.MailFrom domain (or the HELO domain when MAIL FROM was empty,
 *               RFC 7489 §3.1.2); DKIM: the {@code d=} of a signature
 * @param pass   true when that mechanism's result was {@code pass}; other results never align
 */
public record AuthIdentity(Method method, String domain, boolean pass) {
    public AuthIdentity {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(domain, "domain");
    }

    public enum Method { SPF, DKIM }

    public static AuthIdentity spf(String mailFromDomain, boolean pass) {
        return new AuthIdentity(Method.SPF, mailFromDomain, pass);
    }

    public static AuthIdentity dkim(String signingDomain, boolean pass) {
        return new AuthIdentity(Method.DKIM, signingDomain, pass);
    }
}
