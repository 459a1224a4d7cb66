package dev.sealpost.auth.dmarc;

import dev.sealpost.auth.dmarc.DmarcRecord.Policy;

import java.time.Instant;
import java.util.List;

/**
 * The result of evaluating DMARC for one message (RFC 7489 §6.6), as a value.
 *
 * @param result               pass / fail / none / temperror / permerror
 * @param fromDomain           the RFC5322.From domain (A-label), or null when there was none usable
 * @param organizationalDomain its Organizational Domain (RFC 7489 §3.2), or the From domain itself when that is a public suffix
 * @param policyDomain         where the record was found ({@code _dmarc.<policyDomain>}), or null
 * @param record               the record evaluated (after RFC 7489 §6.6.3's p=none substitution), or null
 * @param requestedPolicy      the policy the record asks for this message: p, sp or np (before pct); null when no policy applies
 * @param appliedPolicy        what the receiver should do: {@link Policy#NONE} unless {@code result} is FAIL; after pct sampling
 * @param sampledOut           true when pct sampling weakened the policy (report reason {@code sampled_out})
 * @param spfAligned           an SPF pass aligned with the From domain
 * @param dkimAligned          a DKIM pass aligned with the From domain
 * @param alignedIdentities    the passing identifiers that aligned
 * @param fromDomainNonExistent true when the From domain was found not to exist (NXDOMAIN or no data for A, AAAA and MX:
 *                             DMARCbis / RFC 9091 §2.7), which selects {@code np}; only checked (three queries) for a
 *                             failing message whose policy came from its Organizational Domain and whose record has an
 *                             {@code np} different from the subdomain policy; false otherwise
 * @param reason               a short human-readable explanation
 * @param evaluatedAt          when (from the evaluator's clock), for aggregate reports
 */
public record DmarcOutcome(DmarcResult result, String fromDomain, String organizationalDomain, String policyDomain,
                           DmarcRecord record, Policy requestedPolicy, Policy appliedPolicy, boolean sampledOut,
                           boolean spfAligned, boolean dkimAligned, List<AuthIdentity> alignedIdentities,
                           boolean fromDomainNonExistent, String reason, Instant evaluatedAt) {
    public DmarcOutcome {
        alignedIdentities = List.copyOf(alignedIdentities);
    }

    /** An outcome without a policy: none, temperror or permerror. */
    static DmarcOutcome withoutPolicy(DmarcResult result, String from, String org, String policyDomain, String reason, Instant at) {
        return new DmarcOutcome(result, from, org, policyDomain, null, null, Policy.NONE, false, false, false, List.of(), false, reason, at);
    }
}
