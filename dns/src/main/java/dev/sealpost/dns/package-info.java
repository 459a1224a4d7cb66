/**
 * Typed DNS look-ups for the rest of Sealpost.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.dns.Resolver} answers the questions mail needs (TXT for SPF, DKIM, DMARC and
 * MTA-STS; A/AAAA; MX; PTR for iprev; TLSA for DANE) as {@link dev.sealpost.dns.DnsAnswer} values
 * that keep apart what those RFCs must tell apart: NOERROR with data, NOERROR without data,
 * NXDOMAIN, SERVFAIL and TIMEOUT, each with an {@code authentic} (DNSSEC) flag. Two implementations:
 * <ul>
 *   <li>{@link dev.sealpost.dns.DnsJavaResolver}: asks recursive servers, validates DNSSEC itself,
 *       caches by TTL, and ends every look-up within its time budget, so DNS trouble becomes a
 *       temporary error and never stalls a session;</li>
 *   <li>{@link dev.sealpost.dns.ZoneResolver}: answers from records in memory or a master file
 *       (tests, and the CLI's {@code --zone FILE}), with the same NXDOMAIN/no-data, CNAME and
 *       wildcard semantics as an authoritative server.</li>
 * </ul>
 * {@link dev.sealpost.dns.DnsHostResolver} is the server's one {@code HostResolver} (ADR 0006):
 * host names for outbound connections (MX hosts, smarthost, {@code mta-sts.<domain>}, BIMI and VMC
 * hosts) are resolved through the configured {@code Resolver} (AAAA then A), never through the
 * JVM's system resolver.
 * The package also holds the Public Suffix List ({@code PublicSuffixList}), used to find
 * organizational domains (DMARC).
 *
 * <h2>Security</h2>
 * Parses untrusted input: DNS messages from the network (through dnsjava, which bounds them to the
 * wire limits) and names from peers (HELO, MAIL FROM, SPF macros), which are taken literally, never
 * as master-file escapes; names that cannot exist answer NXDOMAIN without a query. Reaches only the
 * configured DNS servers over UDP and TCP. Answers are not authentic unless validated here from the
 * configured trust anchors, or, only if configured, taken from an upstream's AD bit. Bogus answers
 * are SERVFAIL, never data. A hostile zone can make a look-up slow, but not longer than the budget;
 * CNAME chains are cut after 8 links. The cache is bounded in entries and TTL.
 * dnsjava logs each bogus signature at ERROR with a stack trace: deployments may want the logger
 * {@code org.xbill.DNS.dnssec} at WARN or OFF.
 *
 * <h2>Standards</h2>
 * RFC 1034, RFC 1035 (messages, master files, CNAME), RFC 2181 (RRsets), RFC 2308 (negative
 * answers and their caching), RFC 3596 (AAAA, ip6.arpa), RFC 4033-4035 (DNSSEC, via dnsjava's
 * {@code ValidatingResolver}), RFC 4343 (case), RFC 4509 and RFC 6605 (DS SHA-256, ECDSA), RFC 4592
 * (wildcards, in {@code ZoneResolver}), RFC 6604 (RCODE after CNAME), RFC 6698 (TLSA), RFC 6840 §5.7
 * (AD in queries), RFC 6891 (EDNS(0), 1232-octet payload), RFC 7505 (null MX, exchange ""),
 * RFC 7766 (TCP after truncation), RFC 8020 (NXDOMAIN means nothing below), RFC 8461 §3.3 (the
 * policy host is resolved like any other: through this resolver).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.dns.DnsSettings}: upstream servers as host:port (empty = the system's
 * {@code /etc/resolv.conf}), the per-look-up time budget, retries, DNSSEC on or off, the trust anchor
 * file (DS or DNSKEY records in master-file format; default the root's KSK-2017 and KSK-2024), cache
 * size, and whether to trust an upstream's AD bit when not validating.
 */
package dev.sealpost.dns;
