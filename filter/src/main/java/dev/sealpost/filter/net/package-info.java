/**
 * The threat filter's network-facing checks: malware scanning through clamd
 * ({@link dev.sealpost.filter.net.ClamdClient}, {@link dev.sealpost.filter.net.MalwareCheck}), DNS
 * block and allow lists for the client's address and for the domains of links
 * ({@link dev.sealpost.filter.net.DnsxlLookup}, {@link dev.sealpost.filter.net.DnsblCheck},
 * {@link dev.sealpost.filter.net.UriblCheck}), and greylisting ({@link dev.sealpost.filter.net.Greylister}
 * over the store's {@code greylist} table). Temporary refusals (scanner down, greylisted) are
 * {@link dev.sealpost.filter.net.TempFailure} values ({@code 451 4.7.1}) for the SMTP layer to answer.
 *
 * <p><b>Security:</b> this package talks to the network. clamd's replies and DNS answers are
 * untrusted: replies are read up to 4 KiB, names and reasons kept as bounded printable ASCII; only DNS
 * answers in 127.0.0.0/8 count, and the lists' "query refused" codes (127.0.0.1, 127.255.255.x) are
 * errors, not listings. Every exchange is bounded in time (clamd: a watchdog closes the connection at
 * the deadline; DNS: the resolver's own budget). DNS goes only through the configured
 * {@link dev.sealpost.dns.Resolver}, never the JVM's resolver; client addresses are parsed with
 * {@code InetAddress.ofLiteral} (no look-up). Private and loopback client addresses are not sent to
 * the lists. Outages fail open for DNS lists and greylisting, and tempfail (or accept-and-mark, by
 * configuration) for malware scanning. The message bytes are sent to clamd only.
 *
 * <p><b>Standards:</b> RFC 5782 (DNSxL query names, return codes, test entries), RFC 6647
 * (greylisting), RFC 3463 (4.7.1); clamd's INSTREAM protocol (clamd(8)).
 *
 * <p><b>Configuration:</b> the {@code [filter]} keys (clamd, clamd_unavailable, DNS list zones,
 * greylisting) are described in {@code docs/filter.md}; the server reads them ({@code [filter]} in conf/sealpost.toml; docs/filter.md "In the server").
 */
package dev.sealpost.filter.net;
