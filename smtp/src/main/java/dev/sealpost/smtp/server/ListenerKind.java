package dev.sealpost.smtp.server;

/** What a listener is for; the session engine and the inbound policy act on it. */
public enum ListenerKind {
    /** Port 25: mail from other MTAs for our domains; no AUTH (RFC 5321). */
    MX,
    /** Port 587: message submission with STARTTLS, AUTH required (RFC 6409). */
    SUBMISSION,
    /** Port 465: submission over implicit TLS (RFC 8314 §3.3), AUTH required. */
    SUBMISSIONS
}
