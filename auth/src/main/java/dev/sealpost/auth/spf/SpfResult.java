package dev.sealpost.auth.spf;

/** The results of check_host() (RFC 7208 §2.6), named as in Authentication-Results (RFC 8601 §2.7.2). */
public enum SpfResult {
    /** §2.6.1: no syntactically valid domain, or no SPF record. */
    NONE,
    /** §2.6.2: the domain owner makes no assertion. */
    NEUTRAL,
    /** §2.6.3: the client is authorized. */
    PASS,
    /** §2.6.4: the client is not authorized. */
    FAIL,
    /** §2.6.5: probably not authorized; a weak statement. */
    SOFTFAIL,
    /** §2.6.6: a transient (usually DNS) error; a later retry may succeed. */
    TEMPERROR,
    /** §2.6.7: the published records could not be interpreted; needs the domain owner. */
    PERMERROR;

    /** The lower-case name used in Received-SPF and Authentication-Results. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
