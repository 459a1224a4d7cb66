package dev.sealpost.auth.dmarc;

import java.util.Locale;

/** The DMARC result in RFC 8601 / RFC 7489 §11.2 terms ({@code dmarc=} in Authentication-Results). */
public enum DmarcResult {
    /** An aligned identifier passed. */
    PASS,
    /** A policy was found and no aligned identifier passed. */
    FAIL,
    /** No DMARC policy was found (or discovery gave several records, RFC 7489 §6.6.3). */
    NONE,
    /** A DNS failure that may succeed later. */
    TEMPERROR,
    /** A permanent error: an invalid record, or no usable RFC5322.From domain. */
    PERMERROR;

    /** The Authentication-Results keyword. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
