package dev.sealpost.core.login;

/** Whether a client may log in on a connection: the one rule that SMTP, IMAP and POP3 (and ManageSieve) share. */
public final class LoginPolicy {
    private LoginPolicy() {}

    /**
     * True when any login (every SASL mechanism, IMAP LOGIN, POP3 USER/PASS) may be offered and
     * accepted: over TLS, or before it only where the operator explicitly allows it. The rule is
     * the same for mechanisms that do not reveal the password (SCRAM): a cleartext login still
     * exposes the user name and the session that follows, and a client that logs in before
     * STARTTLS is open to a STARTTLS-stripping attacker. Callers then advertise nothing
     * (IMAP: LOGINDISABLED and no AUTH=, SMTP: no AUTH in EHLO, POP3: no USER or SASL in CAPA)
     * and refuse the commands (IMAP {@code NO [PRIVACYREQUIRED]}, SMTP {@code 538 5.7.11},
     * POP3 {@code -ERR}).
     *
     * @param tls                 the connection is protected by TLS (implicit or after STARTTLS)
     * @param allowAuthWithoutTls the operator's choice ({@code *.allow_plaintext_auth}); never on the Internet
     */
    // RFC 8314 §3 (cleartext login is deprecated), RFC 4954 §4 and §6 (538), RFC 9051 §6.2.3
    // (LOGINDISABLED), RFC 3501 §6.2.3, RFC 2595 §2.1, RFC 5034 §4
    public static boolean mayAuthenticate(boolean tls, boolean allowAuthWithoutTls) {
        return tls || allowAuthWithoutTls;
    }
}
