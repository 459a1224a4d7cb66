package dev.sealpost.tlspolicy.tlsrpt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SMTP TLS aggregate report (RFC 8460 §4.4). String fields that the JSON may omit are
 * {@code null} when absent. Policy and result types are kept as the strings received, so that
 * reports with values we do not know still parse and round-trip; {@link PolicyType} and
 * {@link ResultType} name the ones RFC 8460 defines.
 *
 * @param organizationName the reporter's organisation
 * @param startDatetime    start of the reporting period
 * @param endDatetime      end of the reporting period
 * @param contactInfo      how to reach the reporter
 * @param reportId         unique id chosen by the reporter
 * @param policies         one entry per policy applied
 */
public record TlsRptReport(String organizationName, Instant startDatetime, Instant endDatetime, String contactInfo,
                           String reportId, List<PolicyResult> policies) {
    public TlsRptReport {
        Objects.requireNonNull(startDatetime, "start-datetime");
        Objects.requireNonNull(endDatetime, "end-datetime");
        Objects.requireNonNull(reportId, "report-id");
        policies = List.copyOf(policies);
    }

    /**
     * Results for one policy (RFC 8460 §4.4 "policies" entry).
     *
     * @param totalSuccessfulSessionCount sessions that negotiated TLS per the policy
     * @param totalFailureSessionCount    sessions that failed
     */
    public record PolicyResult(Policy policy, long totalSuccessfulSessionCount, long totalFailureSessionCount,
                               List<FailureDetail> failureDetails) {
        public PolicyResult {
            Objects.requireNonNull(policy, "policy");
            failureDetails = List.copyOf(failureDetails);
        }
    }

    /**
     * The policy evaluated (RFC 8460 §4.4 "policy").
     *
     * @param policyType   {@code sts}, {@code tlsa} or {@code no-policy-found}
     * @param policyString the policy: MTA-STS policy lines, or TLSA records in presentation form
     * @param policyDomain the Policy Domain (null when absent)
     * @param mxHost       MX host patterns (MTA-STS) or the MX host (DANE)
     */
    public record Policy(String policyType, List<String> policyString, String policyDomain, List<String> mxHost) {
        public Policy {
            Objects.requireNonNull(policyType, "policy-type");
            policyString = List.copyOf(policyString);
            mxHost = List.copyOf(mxHost);
        }

        public Optional<PolicyType> knownType() {
            return PolicyType.of(policyType);
        }
    }

    /**
     * One kind of failure, with a count (RFC 8460 §4.4 "failure-details"); optional fields are null.
     */
    public record FailureDetail(String resultType, String sendingMtaIp, String receivingMxHostname, String receivingMxHelo,
                                String receivingIp, long failedSessionCount, String additionalInformation,
                                String failureReasonCode) {
        public FailureDetail {
            Objects.requireNonNull(resultType, "result-type");
        }

        public Optional<ResultType> knownResultType() {
            return ResultType.of(resultType);
        }
    }

    /** RFC 8460 §4.4 policy-type values. */
    public enum PolicyType {
        STS("sts"), TLSA("tlsa"), NO_POLICY_FOUND("no-policy-found");

        private final String token;

        PolicyType(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }

        public static Optional<PolicyType> of(String token) {
            for (PolicyType t : values()) if (t.token.equals(token)) return Optional.of(t);
            return Optional.empty();
        }
    }

    /** RFC 8460 §4.3 result types. */
    public enum ResultType {
        // §4.3.1 negotiation failures
        STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
        CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
        CERTIFICATE_EXPIRED("certificate-expired"),
        CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
        VALIDATION_FAILURE("validation-failure"),
        // §4.3.2.1 DANE policy failures
        TLSA_INVALID("tlsa-invalid"),
        DNSSEC_INVALID("dnssec-invalid"),
        DANE_REQUIRED("dane-required"),
        // §4.3.2.2 MTA-STS policy failures
        STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
        STS_POLICY_INVALID("sts-policy-invalid"),
        STS_WEBPKI_INVALID("sts-webpki-invalid");

        private final String token;

        ResultType(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }

        public static Optional<ResultType> of(String token) {
            for (ResultType t : values()) if (t.token.equals(token)) return Optional.of(t);
            return Optional.empty();
        }
    }
}
