package dev.sealpost.auth.iprev;

/** RFC 8601 §3 "iprev" results. */
public enum IprevResult {
    /** The reverse and forward lookups agree: a PTR name resolves back to the client IP. */
    PASS,
    /** PTR names exist but none resolves back to the client IP (or the forward lookups found nothing). */
    FAIL,
    /** A DNS error that is likely transient (SERVFAIL, timeout, time budget spent). */
    TEMPERROR,
    /** No PTR data is published for the client IP (NXDOMAIN or no answer). */
    PERMERROR;

    /** The lower-case name used in Authentication-Results. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
