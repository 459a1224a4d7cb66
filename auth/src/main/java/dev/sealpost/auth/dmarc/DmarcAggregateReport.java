package dev.sealpost.auth.dmarc;

import dev.sealpost.auth.dmarc.DmarcRecord.Alignment;
import dev.sealpost.auth.dmarc.DmarcRecord.Policy;

import java.util.List;
import java.util.Objects;

/**
 * A DMARC aggregate report (RFC 7489 §7.2 and Appendix C; DMARCbis aggregate-reporting adds
 * {@code np}, {@code envelope_from} and {@code generator}), the one we send and the ones we receive.
 *
 * <p>Enumerated values from foreign reports are kept as the lower-case text they carry (reports
 * in the wild use values outside the schema); {@code null} is "absent".
 *
 * @param version  the {@code version} element ("1.0" for what we write), or null
 * @param metadata {@code report_metadata}
 * @param policy   {@code policy_published}
 * @param records  {@code record}s
 */
public record DmarcAggregateReport(String version, Metadata metadata, PolicyPublished policy, List<Record> records) {
    public DmarcAggregateReport {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(policy, "policy");
        records = List.copyOf(records);
    }

    /**
     * {@code report_metadata}.
     *
     * @param begin seconds since the epoch (UTC), {@code date_range/begin}
     * @param end   seconds since the epoch (UTC), {@code date_range/end}
     */
    public record Metadata(String orgName, String email, String extraContactInfo, String reportId, long begin, long end,
                           List<String> errors, String generator) {
        public Metadata {
            errors = List.copyOf(errors);
        }
    }

    /**
     * {@code policy_published}: the record as we found it.
     *
     * @param fo the {@code fo} text, or null
     */
    public record PolicyPublished(String domain, Alignment adkim, Alignment aspf, Policy p, Policy sp, Policy np,
                                  Integer pct, String fo) {
        /** From a record we evaluated (what our own reports publish). */
        public static PolicyPublished of(String domain, DmarcRecord r) {
            String fo = String.join(":", r.failureOptions().stream().sorted().map(DmarcRecord.FailureOption::keyword).toList());
            return new PolicyPublished(domain, r.dkimAlignment(), r.spfAlignment(), r.policy(), r.effectiveSubdomainPolicy(),
                    r.nonExistentPolicy(), r.percent(), fo);
        }
    }

    /** One {@code record}: a row, its identifiers, and the raw authentication results. */
    public record Record(Row row, Identifiers identifiers, List<DkimResult> dkim, List<SpfResult> spf) {
        public Record {
            Objects.requireNonNull(row, "row");
            Objects.requireNonNull(identifiers, "identifiers");
            dkim = List.copyOf(dkim);
            spf = List.copyOf(spf);
        }
    }

    /**
     * {@code row}: messages from one source with one evaluation.
     *
     * @param disposition {@code none}, {@code quarantine}, {@code reject} (DMARCbis adds {@code pass})
     * @param dkim        the aligned DKIM verdict, {@code pass} or {@code fail}
     * @param spf         the aligned SPF verdict, {@code pass} or {@code fail}
     */
    public record Row(String sourceIp, long count, String disposition, String dkim, String spf, List<Reason> reasons) {
        public Row {
            reasons = List.copyOf(reasons);
        }
    }

    /** {@code reason}: why a local policy overrode the requested one (RFC 7489 Appendix C PolicyOverrideType, e.g. {@code sampled_out}). */
    public record Reason(String type, String comment) {}

    /** {@code identifiers}. */
    public record Identifiers(String envelopeTo, String envelopeFrom, String headerFrom) {}

    /** {@code auth_results/dkim}. */
    public record DkimResult(String domain, String selector, String result, String humanResult) {}

    /**
     * {@code auth_results/spf}.
     *
     * @param scope {@code mfrom} or {@code helo}, or null
     */
    public record SpfResult(String domain, String scope, String result) {}
}
