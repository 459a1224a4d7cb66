package dev.sealpost.auth.bimi;

import dev.sealpost.auth.results.AuthenticationResults;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The BIMI evaluation of one message, as a value.
 *
 * @param result          pass / none / fail / temperror / skipped / declined
 * @param selector        the selector used (§8.7 header.selector), or null when discovery did not start
 * @param domain          where the assertion record was found (§8.7 header.d: the Author Domain or its
 *                        Organizational Domain), or null
 * @param location        for PASS: the URI for BIMI-Location's {@code l=} (the record's {@code l=}, or its
 *                        {@code a=} when the Indicator came from the evidence only, §8.9); else null
 * @param evidence        the record's {@code a=} URI, or null (§8.7 policy.authority-uri)
 * @param authority       §8.7 policy.authority: PASS when the evidence was validated, FAIL when it failed, NONE otherwise
 * @param indicatorBase64 for PASS: the validated SVG, base64 without line breaks (for BIMI-Indicator); else null
 * @param reason          a short human-readable explanation (the Authentication-Results comment)
 */
public record BimiOutcome(BimiResult result, String selector, String domain, URI location, URI evidence,
                          Authority authority, String indicatorBase64, String reason) {

    /** The evidence check (§8.7 policy.authority). */
    public enum Authority { PASS, FAIL, NONE }

    public BimiOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(authority, "authority");
        if (result == BimiResult.PASS && (location == null || indicatorBase64 == null)) {
            throw new IllegalArgumentException("a pass needs a location and an indicator");
        }
        if (result != BimiResult.PASS && indicatorBase64 != null) throw new IllegalArgumentException("indicator without a pass");
    }

    /** A TEMPERROR without discovery details, e.g. when the caller's time budget ran out. */
    public static BimiOutcome temperror(String reason) {
        return of(BimiResult.TEMPERROR, null, null, reason);
    }

    static BimiOutcome of(BimiResult result, String selector, String domain, String reason) {
        return new BimiOutcome(result, selector, domain, null, null, Authority.NONE, null, reason);
    }

    /**
     * The header fields to add to the message: BIMI-Location and BIMI-Indicator, each complete,
     * folded and ending in CRLF, only for a PASS (§8.9, §8.10: "This header MUST NOT be added if
     * Discovery or Validation steps failed"); empty otherwise.
     */
    public List<String> headerFields() {
        if (result != BimiResult.PASS) return List.of();
        return List.of(BimiHeaders.location(location, authority == Authority.PASS ? evidence : null),
                BimiHeaders.indicator(indicatorBase64));
    }

    /** The {@code bimi=} result for Authentication-Results (§8.7). */
    public AuthenticationResults.MethodResult toMethodResult() {
        List<AuthenticationResults.Property> props = new ArrayList<>();
        if (domain != null) props.add(new AuthenticationResults.Property("header", "d", domain));
        if (selector != null) props.add(new AuthenticationResults.Property("header", "selector", selector));
        if (evidence != null || authority != Authority.NONE) {
            props.add(new AuthenticationResults.Property("policy", "authority", authority.name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (evidence != null) props.add(new AuthenticationResults.Property("policy", "authority-uri", evidence.toString()));
        AuthenticationResults.MethodResult r = new AuthenticationResults.MethodResult("bimi", null, result.keyword(), null, props);
        return reason == null || reason.isEmpty() || result == BimiResult.PASS ? r : r.withReason(reason);
    }
}
