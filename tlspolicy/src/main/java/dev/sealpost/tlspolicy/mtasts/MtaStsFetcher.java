package dev.sealpost.tlspolicy.mtasts;

/** Fetches a domain's policy over HTTPS (RFC 8461 §3.3). Implementations are thread-safe and never throw for network outcomes. */
public interface MtaStsFetcher {
    /** The policy URL for a Policy Domain (RFC 8461 §3.2). */
    static String policyUrl(String policyDomain) {
        return "https://mta-sts." + policyDomain + "/.well-known/mta-sts.txt";
    }

    FetchResult fetch(String policyDomain);

    /** The outcome of one fetch. */
    sealed interface FetchResult permits Fetched, Failed {}

    /** A valid policy was fetched. */
    record Fetched(MtaStsPolicy policy) implements FetchResult {}

    /**
     * No valid policy: network or TLS failure, non-200 status, redirect, wrong media type, too
     * large, or invalid syntax. {@code kind} maps to the TLS-RPT result type (RFC 8460 §4.3.2.2).
     */
    record Failed(Kind kind, String reason) implements FetchResult {}

    enum Kind {
        /** Certificate not valid for {@code mta-sts.<domain>} (sts-webpki-invalid). */
        WEBPKI_INVALID,
        /** Connection, HTTP status, redirect, media type or size problem (sts-policy-fetch-error). */
        FETCH_ERROR,
        /** The body is not a valid policy (sts-policy-invalid). */
        POLICY_INVALID
    }
}
