package dev.sealpost.auth.arc;

import dev.sealpost.auth.results.AuthenticationResults;

import java.util.Optional;

/**
 * A parsed ARC-Authentication-Results header field value (RFC 8617 §4.1.1):
 * {@code [FWS] "i" [FWS] "=" [FWS] instance [FWS] ";" authres-payload}.
 *
 * <p>The {@code i=} tag must come first and be followed by {@code ;}; the payload is the
 * Authentication-Results value (RFC 8601 §2.2) that the sealer recorded. Leniency (decided):
 * the payload only needs to be non-empty for the chain to be structurally valid; its RFC 8601
 * parse is offered as {@link #results()} and is empty when it does not parse (the payload is
 * covered by the ARC-Seal, so its syntax does not change what the chain proves).
 *
 * @param instance   {@code i=}, 1 to 50
 * @param payload    the text after the {@code ;}, unfolded and trimmed
 * @param authservId the payload's authserv-id, or "" when it has none
 */
public record ArcAuthenticationResults(int instance, String payload, String authservId) {
    /** The header field name. */
    public static final String FIELD_NAME = "ARC-Authentication-Results";

    /** The outcome of {@link #parse}. */
    public sealed interface Result permits Parsed, Invalid {}

    /** A usable field value. */
    public record Parsed(ArcAuthenticationResults aar) implements Result {}

    /** A malformed field value, with the reason. */
    public record Invalid(String reason) implements Result {}

    /** The payload parsed per RFC 8601, when it parses. */
    public Optional<AuthenticationResults> results() {
        return AuthenticationResults.parse(payload) instanceof AuthenticationResults.Parsed(AuthenticationResults ar)
                ? Optional.of(ar) : Optional.empty();
    }

    /** Parses a field value (the text after the colon, folding included); never throws. */
    public static Result parse(String value) {
        if (value == null) return new Invalid("no value");
        if (value.length() > AuthenticationResults.MAX_LENGTH) return new Invalid("longer than " + AuthenticationResults.MAX_LENGTH);
        int i = skipWs(value, 0);
        // RFC 8617 §4.1.1: the instance tag comes first
        if (i >= value.length() || value.charAt(i) != 'i') return new Invalid("does not start with i=");
        i = skipWs(value, i + 1);
        if (i >= value.length() || value.charAt(i) != '=') return new Invalid("does not start with i=");
        i = skipWs(value, i + 1);
        int start = i;
        while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') i++;
        int instance = ArcTags.instance(value.substring(start, i));
        if (instance < 0) return new Invalid("i= is not an instance from 1 to " + ArcTags.MAX_INSTANCE);
        i = skipWs(value, i);
        if (i >= value.length() || value.charAt(i) != ';') return new Invalid("no ';' after i=");
        String payload = ArcTags.collapse(value.substring(i + 1));
        if (payload.isEmpty()) return new Invalid("no authentication results after i=");
        String id = AuthenticationResults.authservIdOf(payload).orElse("");
        return new Parsed(new ArcAuthenticationResults(instance, payload, id));
    }

    private static int skipWs(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r' || s.charAt(i) == '\n')) i++;
        return i;
    }
}
