package dev.sealpost.tlspolicy.mtasts;

import java.time.Instant;

/**
 * A policy a sender applies to a domain: the parsed policy with the id it was published under and
 * its cache lifetime (RFC 8461 §5).
 *
 * @param domain    the Policy Domain (lower-case A-labels)
 * @param id        the id of the TXT record the policy was fetched for
 * @param policy    the policy
 * @param fetchedAt when it was fetched
 * @param expiresAt {@code fetchedAt + max_age}: after this, the cached policy is no longer used
 */
public record ActivePolicy(String domain, String id, MtaStsPolicy policy, Instant fetchedAt, Instant expiresAt) {
    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public MtaStsPolicy.Mode mode() {
        return policy.mode();
    }

    /** RFC 8461 §4.1 MX host matching. */
    public boolean mxMatches(String mxHost) {
        return policy.mxMatches(mxHost);
    }
}
