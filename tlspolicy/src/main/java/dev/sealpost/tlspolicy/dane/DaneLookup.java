package dev.sealpost.tlspolicy.dane;

import dev.sealpost.dns.TlsaRecord;

import java.util.List;

/**
 * The result of the TLSA look-up for one MX host (RFC 7672 §2.2), as a value.
 * <ul>
 *   <li>{@link None}: DANE does not apply (no TLSA records, or the answer is not DNSSEC-secure);
 *       other policy (MTA-STS, opportunistic TLS) decides.</li>
 *   <li>{@link Usable}: the host must present a certificate matching one of these records; no
 *       fallback to cleartext or to an unauthenticated connection (RFC 7672 §2.2).</li>
 *   <li>{@link UnusableOnly}: secure TLSA records exist but none is usable for SMTP: TLS is still
 *       required, without authentication (RFC 7672 §2.2).</li>
 *   <li>{@link TempFail}: the look-up failed or was DNSSEC-bogus: delivery to this host must be
 *       deferred, never downgraded (RFC 7672 §2.2).</li>
 * </ul>
 */
public sealed interface DaneLookup {
    /** Whether a connection to this host must use TLS (STARTTLS is mandatory). */
    default boolean requiresTls() {
        return this instanceof Usable || this instanceof UnusableOnly;
    }

    /** Whether the certificate must be authenticated with the TLSA records. */
    default boolean authenticates() {
        return this instanceof Usable;
    }

    record None(String reason) implements DaneLookup {}

    /** @param records usable records (DANE-TA(2) / DANE-EE(3), known selector and matching type) after digest agility filtering */
    record Usable(List<TlsaRecord> records) implements DaneLookup {
        public Usable {
            records = List.copyOf(records);
            if (records.isEmpty()) throw new IllegalArgumentException("no records");
        }
    }

    record UnusableOnly(List<TlsaRecord> records) implements DaneLookup {
        public UnusableOnly {
            records = List.copyOf(records);
        }
    }

    record TempFail(String reason) implements DaneLookup {}
}
