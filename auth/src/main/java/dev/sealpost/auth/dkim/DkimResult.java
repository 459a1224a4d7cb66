package dev.sealpost.auth.dkim;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome for one DKIM-Signature field, in the words of RFC 8601 §2.7.1.
 *
 * @param status     the result
 * @param domain     {@code d=} (lower-case A-label when the signature parsed; as written, or "", otherwise)
 * @param selector   {@code s=} as written, or ""
 * @param algorithm  {@code a=} as written, or ""
 * @param reason     why, for the Authentication-Results comment and logs ("" for pass)
 * @param testing    the key record has {@code t=y}: the signer is testing (RFC 6376 §3.6.1)
 * @param identity   {@code i=} (default {@code @d}), or "" when the signature did not parse ({@code header.i})
 * @param headerB    the {@code b=} value without white space, or "" ({@code header.b}, RFC 6008)
 * @param keyBits    the key size in bits, 0 when no key was used
 */
public record DkimResult(Status status, String domain, String selector, String algorithm, String reason,
                         boolean testing, String identity, String headerB, int keyBits) {

    /** RFC 8601 §2.7.1 DKIM results. */
    public enum Status {
        PASS, FAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

        /** The Authentication-Results word. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DkimResult {
        Objects.requireNonNull(status);
        domain = Objects.requireNonNullElse(domain, "");
        selector = Objects.requireNonNullElse(selector, "");
        algorithm = Objects.requireNonNullElse(algorithm, "");
        reason = Objects.requireNonNullElse(reason, "");
        identity = Objects.requireNonNullElse(identity, "");
        headerB = Objects.requireNonNullElse(headerB, "");
    }

    /** The short form, without identity, {@code b=} and key size. */
    public DkimResult(Status status, String domain, String selector, String algorithm, String reason, boolean testing) {
        this(status, domain, selector, algorithm, reason, testing, "", "", 0);
    }

    /** True for PASS. */
    public boolean passed() {
        return status == Status.PASS;
    }
}
