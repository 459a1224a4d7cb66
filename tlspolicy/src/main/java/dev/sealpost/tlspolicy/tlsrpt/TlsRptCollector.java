package dev.sealpost.tlspolicy.tlsrpt;

import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.FailureDetail;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.Policy;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyResult;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.PolicyType;
import dev.sealpost.tlspolicy.tlsrpt.TlsRptReport.ResultType;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts outbound TLS session results per UTC day, Policy Domain and policy, and turns a day into
 * aggregate reports (RFC 8460 §4): one report per Policy Domain, each with one entry per policy
 * applied. In memory and thread-safe; a restart loses the counts of the day so far (persisting
 * them is the store's job). Bounded: {@link #MAX_DOMAINS_PER_DAY} domains per day, and
 * {@link #MAX_DETAILS_PER_POLICY} distinct failure details per policy (further failures still
 * count in the summary).
 */
public final class TlsRptCollector {
    public static final int MAX_DOMAINS_PER_DAY = 100_000;
    public static final int MAX_DETAILS_PER_POLICY = 1_000;

    /**
     * The policy a session was evaluated against (the report's {@code policy} object).
     *
     * @param type         sts, tlsa or no-policy-found
     * @param policyDomain the recipient (Policy) domain
     * @param policyString MTA-STS policy lines, or TLSA records in presentation form; empty for no-policy-found
     * @param mxHost       MTA-STS mx patterns, or the MX host for DANE
     */
    public record PolicyKey(PolicyType type, String policyDomain, List<String> policyString, List<String> mxHost) {
        public PolicyKey {
            Objects.requireNonNull(type);
            policyDomain = policyDomain.toLowerCase(Locale.ROOT);
            policyString = List.copyOf(policyString);
            mxHost = List.copyOf(mxHost);
        }

        public static PolicyKey noPolicy(String policyDomain) {
            return new PolicyKey(PolicyType.NO_POLICY_FOUND, policyDomain, List.of(), List.of());
        }
    }

    /**
     * One failed session's details (the report's {@code failure-details} entry without the count);
     * fields other than the type may be null.
     */
    public record Failure(ResultType resultType, String sendingMtaIp, String receivingMxHostname, String receivingMxHelo,
                          String receivingIp, String additionalInformation, String failureReasonCode) {
        public Failure {
            Objects.requireNonNull(resultType);
        }

        public static Failure of(ResultType type, String sendingMtaIp, String receivingMxHostname, String receivingIp) {
            return new Failure(type, sendingMtaIp, receivingMxHostname, null, receivingIp, null, null);
        }
    }

    private static final class Counts {
        long successes;
        long failures;
        final Map<Failure, Long> details = new LinkedHashMap<>();
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** day → policy domain → policy → counts */
    private final Map<LocalDate, Map<String, Map<PolicyKey, Counts>>> days = new TreeMap<>();

    public TlsRptCollector(Clock clock) {
        this.clock = clock;
    }

    /** A session that negotiated TLS as the policy requires. */
    public void success(PolicyKey policy) {
        record(policy, null);
    }

    /** A session that failed the policy. */
    public void failure(PolicyKey policy, Failure failure) {
        record(policy, Objects.requireNonNull(failure));
    }

    private void record(PolicyKey policy, Failure failure) {
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        lock.lock();
        try {
            Map<String, Map<PolicyKey, Counts>> domains = days.computeIfAbsent(day, d -> new LinkedHashMap<>());
            if (!domains.containsKey(policy.policyDomain()) && domains.size() >= MAX_DOMAINS_PER_DAY) return;
            Counts c = domains.computeIfAbsent(policy.policyDomain(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(policy, p -> new Counts());
            if (failure == null) {
                c.successes++;
            } else {
                c.failures++;
                if (c.details.containsKey(failure) || c.details.size() < MAX_DETAILS_PER_POLICY) c.details.merge(failure, 1L, Long::sum);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Days with data, oldest first. */
    public List<LocalDate> days() {
        lock.lock();
        try {
            return List.copyOf(days.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The reports for a day, one per Policy Domain, without removing the data.
     *
     * @param organizationName our organisation name ({@code organization-name})
     * @param contactInfo      our contact address ({@code contact-info})
     */
    public List<TlsRptReport> reports(LocalDate day, String organizationName, String contactInfo) {
        lock.lock();
        try {
            return build(day, days.getOrDefault(day, Map.of()), organizationName, contactInfo);
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #reports}, removing the day's data (call once the day is over). */
    public List<TlsRptReport> drain(LocalDate day, String organizationName, String contactInfo) {
        lock.lock();
        try {
            Map<String, Map<PolicyKey, Counts>> data = days.remove(day);
            return build(day, data == null ? Map.of() : data, organizationName, contactInfo);
        } finally {
            lock.unlock();
        }
    }

    private static List<TlsRptReport> build(LocalDate day, Map<String, Map<PolicyKey, Counts>> data, String org, String contact) {
        List<TlsRptReport> out = new ArrayList<>();
        var start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        var end = start.plusSeconds(86_400 - 1); // RFC 8460 Appendix B: ...T23:59:59Z
        data.forEach((domain, policies) -> {
            List<PolicyResult> results = new ArrayList<>();
            policies.forEach((key, c) -> {
                List<FailureDetail> details = new ArrayList<>();
                c.details.forEach((f, n) -> details.add(new FailureDetail(f.resultType().token(), f.sendingMtaIp(),
                        f.receivingMxHostname(), f.receivingMxHelo(), f.receivingIp(), n, f.additionalInformation(),
                        f.failureReasonCode())));
                Policy p = new Policy(key.type().token(), key.policyString(), key.policyDomain(), key.mxHost());
                results.add(new PolicyResult(p, c.successes, c.failures, details));
            });
            // report-id: unique per reporter, day and domain
            String reportId = start + "_" + domain;
            out.add(new TlsRptReport(org, start, end, contact, reportId, results));
        });
        return out;
    }
}
