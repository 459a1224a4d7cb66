package dev.sealpost.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Report data: what the MX observed for the DMARC aggregate reports we send (RFC 7489 §7.2),
 * which daily report runs are done, and the reports others send us (DMARC aggregate reports,
 * SMTP TLS reports of RFC 8460). Writes go through the store's group-commit writer and are
 * committed on return.
 *
 * <p>Values are stored as given, clipped to {@link #MAX_TEXT} characters (report fields are
 * identifiers, not prose); control characters are replaced by {@code ?}.
 */
public interface Reports {
    /** Longest identifying text kept per field (domain names are at most 253). */
    int MAX_TEXT = 255;
    /** Most DKIM signatures kept per observation (more are summarised by the first ones). */
    int MAX_DKIM = 8;
    /** Largest report content stored (characters). */
    int MAX_CONTENT = 32 * 1024 * 1024;
    /** Run kind of our DMARC aggregate reports. */
    String RUN_DMARC = "dmarc";
    /** Run kind of our TLS-RPT reports. */
    String RUN_TLSRPT = "tlsrpt";

    /** Counts one DMARC-evaluated message: adds 1 to the identical observation of its day, or creates it. */
    void recordObservation(Observation o);

    /** The observations of a UTC day with their message counts, grouped by policy domain (domains in alphabetical order). */
    Map<String, List<ObservationCount>> observations(LocalDate day);

    /** Days before {@code before} that have observations and no {@code kind} run marked sent, oldest first. */
    List<LocalDate> unsentDays(String kind, LocalDate before);

    /**
     * Marks the {@code kind} report run of {@code day} as sent.
     *
     * @return true when this call marked it, false when it already was
     */
    boolean markSent(String kind, LocalDate day);

    boolean isSent(String kind, LocalDate day);

    /** Deletes observations of days before {@code before}; returns how many rows went. */
    int pruneObservations(LocalDate before);

    /**
     * Stores a received report unless one with the same kind, organisation and report id is stored.
     *
     * @return the new row's id, or empty for a duplicate
     */
    Optional<Long> saveReceived(ReceivedReport r);

    /** Received reports, newest received first; {@code kind} null for all kinds. Content is included. */
    List<ReceivedReport> received(ReportKind kind, int limit);

    Optional<ReceivedReport> receivedReport(long id);

    /** Kinds of received reports. */
    enum ReportKind {
        DMARC, TLSRPT;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ReportKind of(String keyword) {
            return valueOf(keyword.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One DMARC evaluation as an aggregate report row sees it (RFC 7489 Appendix C {@code record}).
     *
     * @param day              the UTC day of the evaluation
     * @param policyDomain     where the DMARC record was found
     * @param sourceIp         the SMTP client's address
     * @param headerFrom       the RFC5322.From domain
     * @param envelopeFrom     the RFC5321.MailFrom domain, or null for the null reverse-path
     * @param spfDomain        the domain SPF checked, or null
     * @param spfScope         {@code mfrom} or {@code helo}, or null
     * @param spfResult        the SPF result word ({@code pass}, {@code fail}, ...), or null
     * @param dkim             the DKIM signatures' results (at most {@link #MAX_DKIM} are kept)
     * @param disposition      what we did: {@code none}, {@code quarantine}, {@code reject}
     * @param overrideReason   why it differs from the requested policy (Appendix C PolicyOverrideType:
     *                         {@code sampled_out}, {@code trusted_forwarder}, {@code local_policy}, ...), or null
     * @param dmarcSpfAligned  an aligned SPF pass
     * @param dmarcDkimAligned an aligned DKIM pass
     * @param policy           the record as published
     */
    record Observation(LocalDate day, String policyDomain, String sourceIp, String headerFrom, String envelopeFrom,
                       String spfDomain, String spfScope, String spfResult, List<DkimAuth> dkim, String disposition,
                       String overrideReason, boolean dmarcSpfAligned, boolean dmarcDkimAligned, PublishedPolicy policy) {
        public Observation {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(policyDomain, "policyDomain");
            Objects.requireNonNull(sourceIp, "sourceIp");
            Objects.requireNonNull(headerFrom, "headerFrom");
            Objects.requireNonNull(disposition, "disposition");
            Objects.requireNonNull(policy, "policy");
            dkim = List.copyOf(dkim.size() > MAX_DKIM ? dkim.subList(0, MAX_DKIM) : dkim);
        }
    }

    /** One DKIM signature's result ({@code auth_results/dkim}); empty strings for unknown parts. */
    record DkimAuth(String domain, String selector, String result) {
        public DkimAuth {
            domain = Objects.requireNonNullElse(domain, "");
            selector = Objects.requireNonNullElse(selector, "");
            result = Objects.requireNonNullElse(result, "");
        }
    }

    /** {@code policy_published}: the record's tags as keywords ({@code r}/{@code s}, {@code none}/...), null when absent. */
    record PublishedPolicy(String adkim, String aspf, String p, String sp, String np, Integer pct, String fo) {}

    /** An observation and how many messages it stands for. */
    record ObservationCount(Observation observation, long count) {}

    /**
     * A report someone sent us.
     *
     * @param id           the row id (0 before saving)
     * @param orgName      the reporting organisation ({@code org_name} / {@code organization-name}), "" when absent
     * @param reportId     the reporter's report id
     * @param domain       the domain reported on (DMARC: {@code policy_published/domain}; TLS-RPT: the first policy domain)
     * @param begin        start of the reporting period
     * @param end          end of the reporting period
     * @param messageCount DMARC: messages in the report; TLS-RPT: sessions
     * @param failureCount DMARC: messages with neither aligned DKIM nor SPF pass; TLS-RPT: failed sessions
     * @param content      the report (XML or JSON), decompressed
     */
    record ReceivedReport(long id, ReportKind kind, String orgName, String reportId, String domain, Instant begin, Instant end,
                          Instant receivedAt, long messageCount, long failureCount, String content) {
        public ReceivedReport {
            Objects.requireNonNull(kind, "kind");
            orgName = Objects.requireNonNullElse(orgName, "");
            Objects.requireNonNull(reportId, "reportId");
            Objects.requireNonNull(begin, "begin");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(receivedAt, "receivedAt");
            Objects.requireNonNull(content, "content");
        }

        public ReceivedReport withId(long newId) {
            return new ReceivedReport(newId, kind, orgName, reportId, domain, begin, end, receivedAt, messageCount, failureCount, content);
        }
    }
}
