package dev.sealpost.auth.bimi;

import java.util.Locale;

/**
 * The BIMI result for one message, in the words of the BIMI draft §8.7 ("Affix BIMI Status to
 * Authentication Results Header Field"), plus {@link #DECLINED} for an explicit declination to
 * publish (§5.2.1).
 */
public enum BimiResult {
    /** The record was found, the Indicator fetched and validated (and the evidence, when checked): headers are added. */
    PASS,
    /** No BIMI Assertion Record. */
    NONE,
    /** A syntax error in the record, a failure in discovery or validation (indicator, evidence). */
    FAIL,
    /** A DNS lookup problem: try again later. */
    TEMPERROR,
    /** BIMI was not evaluated: the message did not meet the authentication requirements (§8.1). */
    SKIPPED,
    /** The domain published {@code v=BIMI1; l=; a=;}: an explicit refusal to participate (§5.2.1). */
    DECLINED;

    /** The Authentication-Results word ({@code bimi=<keyword>}). */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
