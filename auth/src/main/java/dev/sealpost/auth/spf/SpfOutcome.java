package dev.sealpost.auth.spf;

import java.util.Objects;

/**
 * The result of one SPF check, as a value.
 *
 * @param result      the check_host() result
 * @param identity    {@code "helo"} or {@code "mailfrom"} (RFC 7208 §2.3, §2.4; RFC 8601 {@code smtp.helo} / {@code smtp.mailfrom})
 * @param domain      the domain that was checked (the HELO name or the MAIL FROM domain)
 * @param explanation for FAIL the expanded {@code exp=} text or the configured default
 *                    (RFC 7208 §6.2); otherwise a short reason for logs and Received-SPF
 *                    comments. Control characters are replaced by '?', at most 400 characters
 * @param mechanism   the directive that decided the result as written in the record (for a
 *                    redirect, in the target record), or null when none matched
 */
public record SpfOutcome(SpfResult result, String identity, String domain, String explanation, String mechanism) {
    public SpfOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(explanation, "explanation");
    }
}
