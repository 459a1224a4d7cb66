package dev.sealpost.tlspolicy.dane;

import dev.sealpost.dns.TlsaRecord;

/** Whether a server's certificate chain is authenticated by its TLSA records (RFC 7672 §3). */
public sealed interface DaneVerdict {
    default boolean matched() {
        return this instanceof Matched;
    }

    /**
     * @param record the record that matched
     * @param depth  0 for the leaf (DANE-EE), else the chain position of the trust anchor (DANE-TA)
     */
    record Matched(TlsaRecord record, int depth) implements DaneVerdict {}

    record Failed(Reason reason, String detail) implements DaneVerdict {
        /** The TLS-RPT result type for this failure (RFC 8460 §4.3). */
        public String tlsRptResultType() {
            return switch (reason) {
                case NAME_MISMATCH -> "certificate-host-mismatch";
                case EXPIRED -> "certificate-expired";
                case NO_USABLE_RECORDS -> "tlsa-invalid";
                case NO_MATCH, CHAIN_INVALID, NO_CERTIFICATE -> "validation-failure";
            };
        }
    }

    enum Reason {
        /** The server sent no certificate. */
        NO_CERTIFICATE,
        /** No usable TLSA record was given. */
        NO_USABLE_RECORDS,
        /** No record matched the leaf (DANE-EE) or any issuer in the chain (DANE-TA). */
        NO_MATCH,
        /** A DANE-TA record matched but the chain does not validate up to it. */
        CHAIN_INVALID,
        /** The chain validated to a DANE-TA anchor but a certificate is expired or not yet valid. */
        EXPIRED,
        /** The chain validated to a DANE-TA anchor but the leaf names none of the reference identifiers. */
        NAME_MISMATCH
    }
}
