package dev.sealpost.filter.net;

import dev.sealpost.filter.Hit;
import dev.sealpost.filter.Verdict;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A temporary refusal the SMTP layer answers with a 451 (RFC 5321 §4.2.1: 4yz, a transient failure,
 * try again later): {@code 451 4.3.0} when the malware scanner was unavailable under the
 * {@code tempfail} policy (RFC 3463 §3.4, X.3.0: our system's trouble), {@code 451 4.7.1} when the
 * triplet is greylisted (RFC 3463 §3.8, X.7.1: a policy refusal).
 * The pipeline's {@link Verdict} has no "try later" action (its actions are what happens to an
 * accepted or refused message), so the caller asks here first: {@code TempFailure.of(verdict)}.
 *
 * @param code     the basic reply code (451)
 * @param enhanced the enhanced status code (4.3.0 or 4.7.1)
 * @param text     the reply text (no secret: the hit's name and a short reason)
 */
public record TempFailure(int code, String enhanced, String text) {
    /** Hit name of a scanner outage under the tempfail policy. */
    public static final String MALWARE_TEMPFAIL = "malware_tempfail";
    /** Hit names that mean "answer 451 4.3.0". */
    public static final Set<String> HITS = Set.of(MALWARE_TEMPFAIL);

    /** The temporary failure a verdict's hits call for, if any. */
    public static Optional<TempFailure> of(Verdict verdict) {
        return of(verdict.hits());
    }

    /** The temporary failure these hits call for, if any. */
    public static Optional<TempFailure> of(List<Hit> hits) {
        for (Hit h : hits) {
            if (h.name().equals(MALWARE_TEMPFAIL)) {
                // RFC 3463 §3.4 X.3.0: a fault of our mail system (the scanner), not a policy refusal
                return Optional.of(new TempFailure(451, "4.3.0", "Message could not be scanned for malware, try again later"));
            }
        }
        return Optional.empty();
    }

    /** The greylisting answer (RFC 6647: a temporary failure that a legitimate sender retries). */
    public static TempFailure greylisted(long retryAfterSeconds) {
        return new TempFailure(451, "4.7.1", "Greylisted, please try again in " + retryAfterSeconds + " seconds");
    }
}
