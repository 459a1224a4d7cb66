package dev.sealpost.auth.arc;

import dev.sealpost.core.mail.Domain;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The sealers whose ARC results we trust (RFC 8617 §7.2): a receiver MAY let a validated chain
 * from a trusted intermediary (a mailing list, a forwarding service) override a DMARC failure
 * that the intermediary's changes caused (RFC 7489 §6.7 local policy override; the override
 * should be reported as {@code local_policy} / {@code arc} in aggregate reports).
 *
 * <p>Configuration: a list of sealer domains (the ARC-Seal {@code d=}), matched exactly
 * (case-insensitive, A-label form); an empty list trusts no one.
 */
public final class ArcTrust {
    private final Set<String> trusted;

    /**
     * @throws IllegalArgumentException naming the entry that is not a domain (a configuration fault)
     */
    public ArcTrust(Collection<String> trustedSealers) {
        Set<String> s = new LinkedHashSet<>();
        for (String d : trustedSealers) {
            s.add(Domain.toAscii(d).orElseThrow(() -> new IllegalArgumentException("trusted ARC sealer is not a domain: " + d)));
        }
        this.trusted = Set.copyOf(s);
    }

    /** Trusts no sealer. */
    public static ArcTrust none() {
        return new ArcTrust(Set.of());
    }

    /** The trusted sealer domains, lower-case A-labels. */
    public Set<String> trustedSealers() {
        return trusted;
    }

    /** True when {@code domain} is a trusted sealer. */
    public boolean trusts(String domain) {
        return domain != null && Domain.toAscii(domain).map(trusted::contains).orElse(false);
    }

    /**
     * True when the chain passed and its newest sealer (the hop that handed the message to us,
     * which vouches for the whole chain) is trusted: then the DMARC failure may be overridden.
     */
    public boolean mayOverrideDmarc(ArcOutcome outcome) {
        return outcome.cv() == ArcResult.PASS && trusts(outcome.newestSealer());
    }
}
