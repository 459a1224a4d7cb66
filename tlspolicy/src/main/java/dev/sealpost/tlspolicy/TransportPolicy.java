package dev.sealpost.tlspolicy;

import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.tlspolicy.dane.DaneLookup;
import dev.sealpost.tlspolicy.mtasts.ActivePolicy;
import dev.sealpost.tlspolicy.mtasts.MtaStsPolicy;

import java.util.List;
import java.util.Optional;

/**
 * What the SMTP client must do on a connection to one MX host, combining DANE and MTA-STS:
 * DANE takes precedence where it applies (RFC 8461 §2, RFC 7672 §2.2), MTA-STS governs the rest,
 * otherwise opportunistic TLS (RFC 3207, RFC 7435).
 */
public sealed interface TransportPolicy {
    /** Whether STARTTLS is mandatory (no cleartext fallback). */
    boolean requiresTls();

    /** DANE: TLS with a certificate that matches these records (use {@link dev.sealpost.tlspolicy.dane.DaneTrustManager}). */
    record Dane(List<TlsaRecord> records) implements TransportPolicy {
        public boolean requiresTls() {
            return true;
        }
    }

    /** Secure TLSA records, none usable: TLS required, not authenticated (RFC 7672 §2.2). */
    record DaneTlsOnly() implements TransportPolicy {
        public boolean requiresTls() {
            return true;
        }
    }

    /**
     * MTA-STS: TLS with a WebPKI-valid certificate for the MX host name (RFC 8461 §4.2). In
     * {@code testing} mode a failure is reported (TLS-RPT) and delivery continues as opportunistic.
     */
    record MtaSts(ActivePolicy policy) implements TransportPolicy {
        public boolean requiresTls() {
            return policy.mode() == MtaStsPolicy.Mode.ENFORCE;
        }

        public boolean testing() {
            return policy.mode() == MtaStsPolicy.Mode.TESTING;
        }
    }

    /** STARTTLS when offered, any certificate; cleartext otherwise. */
    record Opportunistic() implements TransportPolicy {
        public boolean requiresTls() {
            return false;
        }
    }

    /** Do not connect now: the TLSA look-up failed (RFC 7672 §2.2); try later. */
    record Defer(String reason) implements TransportPolicy {
        public boolean requiresTls() {
            return true;
        }
    }

    /** Do not use this MX: it is not listed by an enforced MTA-STS policy (RFC 8461 §4.1, §5). */
    record Skip(String reason) implements TransportPolicy {
        public boolean requiresTls() {
            return true;
        }
    }

    /**
     * The policy for one MX host.
     *
     * @param dane   the host's TLSA look-up ({@link dev.sealpost.tlspolicy.dane.DanePolicy#lookup})
     * @param sts    the recipient domain's MTA-STS policy, if any
     * @param mxHost the MX host name
     */
    static TransportPolicy decide(DaneLookup dane, Optional<ActivePolicy> sts, String mxHost) {
        switch (dane) {
            case DaneLookup.TempFail t -> {
                return new Defer(t.reason());
            }
            case DaneLookup.Usable u -> {
                return new Dane(u.records());
            }
            case DaneLookup.UnusableOnly ignored -> {
                return new DaneTlsOnly();
            }
            case DaneLookup.None ignored -> { }
        }
        if (sts.isEmpty() || sts.get().mode() == MtaStsPolicy.Mode.NONE) return new Opportunistic();
        ActivePolicy p = sts.get();
        if (!p.mxMatches(mxHost)) {
            // RFC 8461 §5: enforce: the MX is not a valid candidate; testing: deliver and report
            if (p.mode() == MtaStsPolicy.Mode.ENFORCE) return new Skip("MX " + mxHost + " not allowed by the MTA-STS policy of " + p.domain());
        }
        return new MtaSts(p);
    }
}
