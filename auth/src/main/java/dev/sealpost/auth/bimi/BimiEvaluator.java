package dev.sealpost.auth.bimi;

import dev.sealpost.auth.bimi.BimiOutcome.Authority;
import dev.sealpost.auth.dmarc.DmarcOutcome;
import dev.sealpost.auth.dmarc.DmarcRecord;
import dev.sealpost.auth.dmarc.DmarcRecord.Policy;
import dev.sealpost.auth.dmarc.DmarcResult;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * BIMI for a received message (BIMI draft §8 "Receiver Actions"): the authentication
 * requirements on the DMARC outcome (§8.1), Assertion Record discovery at the Author Domain then
 * its Organizational Domain (§8.2), the Indicator fetched and checked against SVG Tiny PS
 * (§8.5, §8.6), the VMC/CMC evidence validated when mark roots are configured (§8.4), and the
 * result with the BIMI-Location and BIMI-Indicator fields to add (§8.7, §8.9, §8.10).
 *
 * <p>Reputation of the sender (§9 "Lookalike Domains") is not judged here: a PASS means the
 * domain's published Indicator is authentic and well-formed, not that it deserves showing.
 */
public final class BimiEvaluator {
    private static final Logger log = LoggerFactory.getLogger(BimiEvaluator.class);

    /**
     * @param markRoots       CAs trusted for VMC/CMC evidence; empty: evidence is not checked (§8.3 step 3)
     * @param requireEvidence a PASS needs validated evidence (local policy, as the big mailbox providers do)
     * @param maxEvidenceBytes largest Evidence Document fetched
     */
    public record Settings(List<X509Certificate> markRoots, boolean requireEvidence, int maxEvidenceBytes) {
        public Settings {
            markRoots = List.copyOf(markRoots);
            if (requireEvidence && markRoots.isEmpty()) throw new IllegalArgumentException("requireEvidence without mark roots");
            if (maxEvidenceBytes <= 0 || maxEvidenceBytes > MarkCertificate.MAX_PEM_BYTES) throw new IllegalArgumentException("maxEvidenceBytes");
        }

        /** Self-asserted Indicators, no evidence check. */
        public static Settings defaults() {
            return new Settings(List.of(), false, MarkCertificate.MAX_PEM_BYTES);
        }

        public Settings withMarkRoots(List<X509Certificate> roots, boolean require) {
            return new Settings(roots, require, maxEvidenceBytes);
        }
    }

    private final Resolver resolver;
    private final PublicSuffixList psl;
    private final BimiFetcher fetcher;
    private final Clock clock;
    private final Settings settings;
    private final Set<TrustAnchor> anchors;

    public BimiEvaluator(Resolver resolver, PublicSuffixList psl, BimiFetcher fetcher, Clock clock, Settings settings) {
        this.resolver = Objects.requireNonNull(resolver);
        this.psl = Objects.requireNonNull(psl);
        this.fetcher = Objects.requireNonNull(fetcher);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.anchors = settings.markRoots().isEmpty() ? Set.of() : MarkCertificate.anchors(settings.markRoots());
    }

    /**
     * Evaluates BIMI for a message.
     *
     * @param dmarc    the message's DMARC outcome (its From domain is the Author Domain)
     * @param selector the selector (from {@link BimiSelector#forMessage}), or null for {@code default}
     */
    public BimiOutcome evaluate(DmarcOutcome dmarc, String selector) {
        String sel = selector == null || selector.isEmpty() ? BimiSelector.DEFAULT : selector.toLowerCase(Locale.ROOT);
        BimiOutcome skipped = gate(dmarc);
        if (skipped != null) {
            log.debug("bimi skipped from={} reason={}", dmarc == null ? null : dmarc.fromDomain(), skipped.reason());
            return skipped;
        }
        String author = dmarc.fromDomain();
        String org = organizationalDomain(dmarc);

        // §8.2 steps 3-6: <selector>._bimi.<Author Domain>, then <selector>._bimi.<Organizational Domain>
        String domain = author;
        DnsAnswer<String> answer = resolver.txt(sel + "._bimi." + author);
        if (answer.temporaryFailure()) return BimiOutcome.of(BimiResult.TEMPERROR, sel, author, "DNS " + answer.status() + " for " + sel + "._bimi." + author);
        List<String> records = bimiRecords(answer);
        if (records.isEmpty() && !org.equals(author)) {
            domain = org;
            answer = resolver.txt(sel + "._bimi." + org);
            if (answer.temporaryFailure()) return BimiOutcome.of(BimiResult.TEMPERROR, sel, org, "DNS " + answer.status() + " for " + sel + "._bimi." + org);
            records = bimiRecords(answer);
        }
        // §8.2 step 7: no record, or several: no BIMI processing
        if (records.isEmpty()) return BimiOutcome.of(BimiResult.NONE, sel, null, "no BIMI record");
        if (records.size() > 1) return BimiOutcome.of(BimiResult.FAIL, sel, domain, "more than one BIMI record");
        BimiRecord record;
        switch (BimiRecord.parse(records.getFirst())) {
            case BimiRecord.Invalid inv -> { return BimiOutcome.of(BimiResult.FAIL, sel, domain, "invalid BIMI record: " + inv.reason()); }
            case BimiRecord.Valid v -> record = v.record();
        }
        // §5.2.1: declination to publish
        if (record.declined()) return BimiOutcome.of(BimiResult.DECLINED, sel, domain, "domain declined to publish");
        return indicator(record, sel, domain);
    }

    /** §8.3 - §8.6, with the evidence (§8.4) when mark roots are configured. */
    private BimiOutcome indicator(BimiRecord record, String sel, String domain) {
        URI evidenceUri = record.evidence();
        byte[] markSvg = null;
        Authority authority = Authority.NONE;
        if (evidenceUri != null && !anchors.isEmpty()) {
            switch (fetcher.fetch(evidenceUri, settings.maxEvidenceBytes())) {
                case BimiFetcher.Failed f -> { return fail(sel, domain, evidenceUri, Authority.FAIL, "evidence document not fetched: " + f.reason()); }
                case BimiFetcher.Fetched got -> {
                    switch (MarkCertificate.validate(got.body(), anchors, clock.instant(), domain, sel)) {
                        case MarkCertificate.Invalid inv -> { return fail(sel, domain, evidenceUri, Authority.FAIL, inv.reason()); }
                        case MarkCertificate.Valid v -> {
                            markSvg = v.indicator();
                            authority = Authority.PASS;
                        }
                    }
                }
            }
        }
        if (settings.requireEvidence() && authority != Authority.PASS) {
            return fail(sel, domain, evidenceUri, authority, "no validated evidence document (required by local policy)");
        }
        byte[] svg;
        URI location;
        if (record.location() != null) {
            // §8.5 step 1-2: fetch over HTTPS with a trusted server certificate (the fetcher's job)
            switch (fetcher.fetch(record.location(), SvgTinyPs.MAX_BYTES)) {
                case BimiFetcher.Failed f -> { return fail(sel, domain, evidenceUri, authority, "indicator not fetched: " + f.reason()); }
                case BimiFetcher.Fetched got -> {
                    try {
                        svg = SvgTinyPs.gunzipIfCompressed(got.body(), SvgTinyPs.MAX_BYTES);
                    } catch (IOException e) {
                        return fail(sel, domain, evidenceUri, authority, "indicator: " + e.getMessage());
                    }
                }
            }
            // §8.9: with both l= and a=, the l= Indicator MUST be identical to the evidence's
            if (markSvg != null && !Arrays.equals(svg, markSvg)) {
                return fail(sel, domain, evidenceUri, Authority.FAIL, "indicator differs from the one in the mark certificate");
            }
            location = record.location();
        } else if (markSvg != null) {
            // §8.9: the Indicator extracted from the evidence: BIMI-Location names the evidence
            svg = markSvg;
            location = evidenceUri;
        } else {
            // §8.3 step 1: no valid bimi-location and no validated evidence to take it from
            return fail(sel, domain, evidenceUri, authority, "no l= location and no validated evidence document");
        }
        // §8.6 steps 1-3: size, valid SVG, the SVG Tiny PS profile
        if (SvgTinyPs.check(svg) instanceof SvgTinyPs.Invalid inv) {
            return fail(sel, domain, evidenceUri, authority, "indicator is not SVG Tiny PS: " + inv.reason());
        }
        log.debug("bimi pass domain={} selector={} authority={}", domain, sel, authority);
        return new BimiOutcome(BimiResult.PASS, sel, domain, location, evidenceUri, authority,
                Base64.getEncoder().encodeToString(svg), "");
    }

    private static BimiOutcome fail(String sel, String domain, URI evidence, Authority authority, String reason) {
        return new BimiOutcome(BimiResult.FAIL, sel, domain, null, evidence, authority, null, reason);
    }

    /**
     * §8.1 "Authentication Requirements": null when BIMI may proceed, else the SKIPPED (or
     * TEMPERROR) outcome. Steps 1-2 (one From address) are DMARC's: without a single From domain
     * it has none. Step 4-6: DMARC pass (no local override here). Steps 7-9: the DMARC policy of
     * the Author Domain and of its Organizational Domain is quarantine or reject, no {@code sp=none}
     * in either record, and {@code pct=100} where the policy is quarantine.
     */
    BimiOutcome gate(DmarcOutcome dmarc) {
        if (dmarc == null || dmarc.fromDomain() == null) return skipped("no single RFC5322.From domain");
        if (dmarc.result() != DmarcResult.PASS) return skipped("message failed DMARC");
        DmarcRecord record = dmarc.record();
        if (record == null || dmarc.policyDomain() == null) return skipped("no DMARC policy");
        String author = dmarc.fromDomain();
        String org = organizationalDomain(dmarc);
        boolean recordAtAuthor = dmarc.policyDomain().equalsIgnoreCase(author);
        // the Author Domain's policy: its own record's p=, or the Organizational Domain record's sp= (else p=)
        String problem = recordAtAuthor ? enforcing(record, record.policy(), "author domain " + author)
                : enforcing(record, record.effectiveSubdomainPolicy(), "author domain " + author);
        if (problem != null) return skipped(problem);
        if (org.equalsIgnoreCase(author)) return null;
        DmarcRecord orgRecord;
        if (!recordAtAuthor) {
            orgRecord = record;
        } else {
            // the Author Domain has its own record: the Organizational Domain's must enforce too (§1, §8.1 step 7)
            DnsAnswer<String> a = resolver.txt("_dmarc." + org);
            if (a.temporaryFailure()) return BimiOutcome.of(BimiResult.TEMPERROR, null, null, "DNS " + a.status() + " for _dmarc." + org);
            List<String> txt = a.records().stream().filter(DmarcRecord::isDmarcRecord).toList();
            if (txt.size() != 1) return skipped("no single DMARC record at organizational domain " + org);
            if (!(DmarcRecord.parse(txt.getFirst()) instanceof DmarcRecord.Valid v) || v.record().forPolicyDiscovery().isEmpty()) {
                return skipped("no valid DMARC policy at organizational domain " + org);
            }
            orgRecord = v.record().forPolicyDiscovery().get();
        }
        problem = enforcing(orgRecord, orgRecord.policy(), "organizational domain " + org);
        return problem == null ? null : skipped(problem);
    }

    /** Null when the policy enforces per §8.1 steps 7-9; else why not. */
    private static String enforcing(DmarcRecord r, Policy policy, String whose) {
        // §8.1 step 7: p=none (or no policy) → no BIMI
        if (policy == null || policy == Policy.NONE) return "DMARC policy of " + whose + " is not quarantine or reject";
        // §8.1 step 8: a subdomain policy of none → no BIMI
        if (r.subdomainPolicy() == Policy.NONE) return "DMARC record for " + whose + " has sp=none";
        // §8.1 step 9: quarantine needs pct=100. (A reject with pct<100 degrades to quarantine, RFC 7489 §6.6.4: still enforcing.)
        if (policy == Policy.QUARANTINE && r.percent() != 100) return "DMARC policy of " + whose + " is quarantine with pct=" + r.percent();
        return null;
    }

    private String organizationalDomain(DmarcOutcome dmarc) {
        String org = dmarc.organizationalDomain();
        if (org == null) org = psl.organizationalDomain(dmarc.fromDomain());
        return org == null ? dmarc.fromDomain() : org.toLowerCase(Locale.ROOT);
    }

    private static List<String> bimiRecords(DnsAnswer<String> answer) {
        List<String> out = new ArrayList<>();
        // §8.2 steps 4 and 6: records not starting with v=BIMI1 are discarded
        for (String r : answer.records()) if (BimiRecord.isBimiRecord(r)) out.add(r);
        return out;
    }

    private static BimiOutcome skipped(String reason) {
        return BimiOutcome.of(BimiResult.SKIPPED, null, null, reason);
    }
}
