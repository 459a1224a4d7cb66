package dev.sealpost.dns;

import java.util.List;

/**
 * The outcome of one DNS query, as a value: what the RFCs that consume DNS (SPF, DKIM, DMARC,
 * DANE, MTA-STS) need to tell apart.
 *
 * @param status    NOERROR (records may still be empty: "no data"), NXDOMAIN, or a temporary failure
 * @param records   the answer records of the asked type (after CNAME chasing), empty unless NOERROR
 * @param authentic true when the answer was DNSSEC-validated (the AD bit we computed or trust), RFC 4035 §3.2.3
 * @param <T>       record data type
 */
public record DnsAnswer<T>(Status status, List<T> records, boolean authentic) {
    public DnsAnswer {
        records = List.copyOf(records);
        if (status != Status.NOERROR && !records.isEmpty()) throw new IllegalArgumentException("records with " + status);
    }

    public enum Status {
        /** The name exists; {@code records} holds the data (possibly none: "no data", RFC 2308 §2.2). */
        NOERROR,
        /** The name does not exist (RCODE 3, RFC 1035 §4.1.1; RFC 2308 §2.1). */
        NXDOMAIN,
        /** SERVFAIL, REFUSED, a DNSSEC-bogus answer, or any other server failure: try again later. */
        SERVFAIL,
        /** No answer within the time budget. */
        TIMEOUT
    }

    public static <T> DnsAnswer<T> of(List<T> records, boolean authentic) {
        return new DnsAnswer<>(Status.NOERROR, records, authentic);
    }

    public static <T> DnsAnswer<T> noData(boolean authentic) {
        return new DnsAnswer<>(Status.NOERROR, List.of(), authentic);
    }

    public static <T> DnsAnswer<T> nxdomain(boolean authentic) {
        return new DnsAnswer<>(Status.NXDOMAIN, List.of(), authentic);
    }

    public static <T> DnsAnswer<T> failure(Status status) {
        return new DnsAnswer<>(status, List.of(), false);
    }

    /** True for SERVFAIL and TIMEOUT: the RFCs' "temperror" cases. */
    public boolean temporaryFailure() {
        return status == Status.SERVFAIL || status == Status.TIMEOUT;
    }

    /** True when the name exists but has no record of this type, or does not exist: SPF's "void lookup" (RFC 7208 §4.6.4). */
    public boolean empty() {
        return status == Status.NXDOMAIN || (status == Status.NOERROR && records.isEmpty());
    }
}
