package dev.sealpost.auth.dmarc;

import dev.sealpost.auth.dmarc.DmarcRecord.Alignment;
import dev.sealpost.auth.dmarc.DmarcRecord.Policy;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.Resolver;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * DMARC evaluation (RFC 7489 §6.6; DMARCbis where it clarifies): policy discovery, identifier
 * alignment, the policy to apply (p, sp, np, pct), and the external report destination check
 * (RFC 7489 §7.1).
 *
 * <p>DNS per message: at most two TXT queries for discovery, plus A, AAAA and MX on the From
 * domain when a failing message's policy came from its Organizational Domain (for {@code np}).
 * Thread-safe.
 */
public final class DmarcEvaluator {
    private final Resolver resolver;
    private final PublicSuffixList psl;
    private final Clock clock;
    private final RandomGenerator random;
    private final ReentrantLock randomLock = new ReentrantLock();

    /** With a thread-local random source for {@code pct} sampling. */
    public DmarcEvaluator(Resolver resolver, PublicSuffixList psl, Clock clock) {
        this(resolver, psl, clock, null);
    }

    /** With a given random source for {@code pct} sampling (tests: a seeded one); {@code null} for thread-local randomness. */
    public DmarcEvaluator(Resolver resolver, PublicSuffixList psl, Clock clock, RandomGenerator random) {
        this.resolver = Objects.requireNonNull(resolver);
        this.psl = Objects.requireNonNull(psl);
        this.clock = Objects.requireNonNull(clock);
        this.random = random;
    }

    /** Evaluates with a From field outcome from {@link FromDomain}: a failure there is {@code permerror} (RFC 7489 §6.6.1). */
    public DmarcOutcome evaluate(FromDomain.Result from, List<AuthIdentity> identities) {
        return switch (from) {
            case FromDomain.Single s -> evaluate(s.domain(), identities);
            case FromDomain.Failure f -> DmarcOutcome.withoutPolicy(DmarcResult.PERMERROR, null, null, null, f.reason(), clock.instant());
        };
    }

    /**
     * Evaluates DMARC for a message.
     *
     * @param rfc5322FromDomain the From header domain (see {@link FromDomain})
     * @param identities        the SPF (MAIL FROM domain) and DKIM (each signature's d=) identifiers with their pass state
     */
    public DmarcOutcome evaluate(String rfc5322FromDomain, List<AuthIdentity> identities) {
        Instant now = clock.instant();
        Optional<String> ascii = Domain.toAscii(rfc5322FromDomain);
        if (ascii.isEmpty()) {
            return DmarcOutcome.withoutPolicy(DmarcResult.PERMERROR, null, null, null, "invalid From domain", now);
        }
        String from = ascii.get();
        String org = orgOf(from);

        // RFC 7489 §6.6.3 policy discovery: _dmarc.<From domain>, then _dmarc.<Organizational Domain>
        Discovery d = discover(from);
        String policyDomain = from;
        if (d.kind == Kind.NOTHING && !org.equals(from)) {
            d = discover(org);
            policyDomain = org;
        }
        switch (d.kind) {
            case TEMPERROR -> {
                return DmarcOutcome.withoutPolicy(DmarcResult.TEMPERROR, from, org, null, "DNS failure looking up _dmarc." + policyDomain, now);
            }
            case NOTHING -> {
                return DmarcOutcome.withoutPolicy(DmarcResult.NONE, from, org, null, "no DMARC record", now);
            }
            case SEVERAL -> {
                // RFC 7489 §6.6.3 step 5: several records end discovery; DMARC is not applied
                return DmarcOutcome.withoutPolicy(DmarcResult.NONE, from, org, null, "several DMARC records at _dmarc." + policyDomain, now);
            }
            case ONE -> { }
        }
        DmarcRecord record;
        switch (DmarcRecord.parse(d.txt)) {
            case DmarcRecord.Invalid inv -> {
                return DmarcOutcome.withoutPolicy(DmarcResult.PERMERROR, from, org, policyDomain, "invalid DMARC record: " + inv.reason(), now);
            }
            case DmarcRecord.Valid v -> {
                Optional<DmarcRecord> usable = v.record().forPolicyDiscovery();
                if (usable.isEmpty()) {
                    // RFC 7489 §6.6.3 step 6: no valid p (or invalid sp) and no valid rua: no DMARC processing
                    return DmarcOutcome.withoutPolicy(DmarcResult.PERMERROR, from, org, policyDomain, "DMARC record without a valid p tag", now);
                }
                record = usable.get();
            }
        }

        // RFC 7489 §3.1 identifier alignment
        List<AuthIdentity> aligned = new ArrayList<>();
        boolean spf = false, dkim = false;
        for (AuthIdentity id : identities) {
            if (!id.pass()) continue;
            Alignment mode = id.method() == AuthIdentity.Method.SPF ? record.spfAlignment() : record.dkimAlignment();
            if (aligned(from, org, id.domain(), mode)) {
                aligned.add(id);
                if (id.method() == AuthIdentity.Method.SPF) spf = true;
                else dkim = true;
            }
        }
        if (!aligned.isEmpty()) {
            // RFC 7489 §6.6.2 step 6: one aligned pass is a DMARC pass
            return new DmarcOutcome(DmarcResult.PASS, from, org, policyDomain, record, null, Policy.NONE, false,
                    spf, dkim, aligned, false, "aligned " + aligned.getFirst().method().name().toLowerCase(java.util.Locale.ROOT) + " pass", now);
        }

        // Policy selection: p at the From domain itself; sp (or np for a non-existent From domain) for a subdomain
        Policy requested;
        boolean nonExistent = false;
        if (policyDomain.equals(from)) {
            requested = record.policy();
        } else {
            nonExistent = record.nonExistentPolicy() != null && record.effectiveNonExistentPolicy() != record.effectiveSubdomainPolicy()
                    && fromDomainDoesNotExist(from);
            requested = nonExistent ? record.effectiveNonExistentPolicy() : record.effectiveSubdomainPolicy();
        }
        Policy applied = requested;
        boolean sampledOut = false;
        // RFC 7489 §6.3 pct / §6.6.4: a message outside the sample gets the next weaker policy
        if (record.percent() < 100 && requested != Policy.NONE && !sampled(record.percent())) {
            applied = requested.weaker();
            sampledOut = true;
        }
        String reason = "no aligned pass; policy " + requested.keyword() + (sampledOut ? " sampled out to " + applied.keyword() : "")
                + (nonExistent ? " (np: From domain does not exist)" : "");
        return new DmarcOutcome(DmarcResult.FAIL, from, org, policyDomain, record, requested, applied, sampledOut,
                false, false, List.of(), nonExistent, reason, now);
    }

    /**
     * RFC 7489 §7.1: may aggregate or failure reports about {@code policyDomain} be sent to a
     * {@code rua}/{@code ruf} address in {@code reportDomain}? True when both share an
     * Organizational Domain, or when {@code <policyDomain>._report._dmarc.<reportDomain>} holds a
     * TXT record starting with {@code v=DMARC1}. A DNS failure is a "no" (try again next interval).
     */
    public boolean mayReportTo(String policyDomain, String reportDomain) {
        return verifyReportDestination(policyDomain, reportDomain).authorized();
    }

    /** The §7.1 check with its details. */
    public DestinationCheck verifyReportDestination(String policyDomain, String reportDomain) {
        Optional<String> p = Domain.toAscii(policyDomain), r = Domain.toAscii(reportDomain);
        if (p.isEmpty() || r.isEmpty()) return new DestinationCheck(DestinationCheck.Status.NOT_AUTHORIZED, null);
        if (orgOf(p.get()).equals(orgOf(r.get()))) return new DestinationCheck(DestinationCheck.Status.SAME_ORGANIZATION, null);
        String name = p.get() + "._report._dmarc." + r.get();
        if (name.length() > 253) return new DestinationCheck(DestinationCheck.Status.NOT_AUTHORIZED, null);
        DnsAnswer<String> a = resolver.txt(name);
        if (a.temporaryFailure()) return new DestinationCheck(DestinationCheck.Status.TEMPERROR, null);
        for (String txt : a.records()) {
            // RFC 7489 §7.1 step 5: parse as a DMARC tag list with v=DMARC1 first; discard the others
            if (DmarcRecord.parse(txt) instanceof DmarcRecord.Valid v) {
                return new DestinationCheck(DestinationCheck.Status.AUTHORIZED, v.record());
            }
        }
        return new DestinationCheck(DestinationCheck.Status.NOT_AUTHORIZED, null);
    }

    /**
     * Outcome of the §7.1 check.
     *
     * @param status   the verdict
     * @param override the authorizing record: its {@code rua}/{@code ruf}, when present, replace the
     *                 policy record's (RFC 7489 §7.1 step 7); null unless AUTHORIZED
     */
    public record DestinationCheck(Status status, DmarcRecord override) {
        public enum Status { SAME_ORGANIZATION, AUTHORIZED, NOT_AUTHORIZED, TEMPERROR }

        public boolean authorized() {
            return status == Status.SAME_ORGANIZATION || status == Status.AUTHORIZED;
        }
    }

    // ---------------------------------------------------------------------------------------

    private enum Kind { NOTHING, ONE, SEVERAL, TEMPERROR }

    private record Discovery(Kind kind, String txt) {}

    private Discovery discover(String domain) {
        String name = "_dmarc." + domain;
        if (name.length() > 253) return new Discovery(Kind.NOTHING, null);
        DnsAnswer<String> a = resolver.txt(name);
        if (a.temporaryFailure()) return new Discovery(Kind.TEMPERROR, null);
        String found = null;
        int count = 0;
        for (String txt : a.records()) {
            // RFC 7489 §6.6.3 step 3: records not starting with v=DMARC1 are discarded
            if (!DmarcRecord.isDmarcRecord(txt)) continue;
            found = txt;
            count++;
        }
        if (count == 0) return new Discovery(Kind.NOTHING, null);
        if (count > 1) return new Discovery(Kind.SEVERAL, null);
        return new Discovery(Kind.ONE, found);
    }

    private boolean aligned(String from, String fromOrg, String identity, Alignment mode) {
        Optional<String> id = Domain.toAscii(identity);
        if (id.isEmpty()) return false;
        if (mode == Alignment.STRICT) return id.get().equals(from); // RFC 7489 §3.1.1/§3.1.2 strict: identical
        return orgOf(id.get()).equals(fromOrg);                      // relaxed: same Organizational Domain
    }

    /** The Organizational Domain, or the name itself when it is a public suffix (no registrable part). */
    private String orgOf(String domain) {
        String o = psl.organizationalDomain(domain);
        return o != null ? o : domain;
    }

    /**
     * DMARCbis / RFC 9091 §2.7: a non-existent domain has NXDOMAIN or no data for A, AAAA and MX.
     * Any DNS failure counts as existing: a transient error never escalates to np.
     */
    private boolean fromDomainDoesNotExist(String from) {
        return emptyAnswer(resolver.a(from)) && emptyAnswer(resolver.aaaa(from)) && emptyAnswer(resolver.mx(from));
    }

    private static boolean emptyAnswer(DnsAnswer<?> a) {
        return !a.temporaryFailure() && a.empty();
    }

    private boolean sampled(int percent) {
        if (random == null) return ThreadLocalRandom.current().nextInt(100) < percent;
        randomLock.lock();
        try {
            return random.nextInt(100) < percent;
        } finally {
            randomLock.unlock();
        }
    }
}
