/**
 * MTA-STS (RFC 8461): policy discovery, fetch, caching and MX matching; our own policy text.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.tlspolicy.mtasts.MtaStsResolver} gives the policy to apply to a recipient
 * domain: TXT discovery at {@code _mta-sts.<domain>} ({@link dev.sealpost.tlspolicy.mtasts.MtaStsRecord}),
 * HTTPS fetch of {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * ({@link dev.sealpost.tlspolicy.mtasts.HttpMtaStsFetcher}), parsing
 * ({@link dev.sealpost.tlspolicy.mtasts.MtaStsPolicy}), caching with refresh by id
 * ({@link dev.sealpost.tlspolicy.mtasts.MtaStsCache}). {@link dev.sealpost.tlspolicy.mtasts.MtaStsPolicy#toText()}
 * writes the policy we host for our own domains (served by the web module).
 *
 * <h2>Security</h2>
 * Parses untrusted DNS TXT data (at most 4 KB, 32 fields) and HTTPS bodies (at most 64 KiB, strict
 * UTF-8, 1000 mx lines). The fetch reaches only {@code mta-sts.<recipient domain>} on port 443,
 * its name resolved through the server's {@code Dialer} on the configured resolver, never the
 * JVM's (ADR 0006: with a separate resolver the JVM's would find no policy, issue 11), over HTTPS
 * ({@code HttpsGet}) with the certificate checked against the configured trust store and for that
 * host name; no redirects, no proxy, a total time bound. A fetch failure never removes an unexpired
 * cached policy, so an attacker who blocks the fetch cannot downgrade a domain we have seen
 * (RFC 8461 §10.2); a policy in memory is lost at restart until a persistent cache is plugged in.
 * The record and policy parsers are fuzzed ({@code MtaStsFuzzTest}).
 *
 * <h2>Standards</h2>
 * RFC 8461 §3.1 (record), §3.2 (policy, incl. unknown fields ignored and the max_age cap), §3.3
 * (HTTPS fetch), §4.1 (MX matching, wildcard of one leftmost label), §5 / §5.1 (application,
 * caching, refresh). Leniencies, each marked in the code: blank lines in a policy are skipped, a
 * trailing dot on an mx pattern is accepted, a max_age above one year is capped, trailing
 * whitespace after the record's final ";" is accepted. Decisions: a repeated field other than
 * mx takes its first value; a TXT record with two ids is invalid. Not done: a persistent cache
 * (store), scheduled proactive refresh (the queue calls {@code refresh}), RFC 8461 §8.2 policy
 * delegation checks beyond what DNS CNAMEs already give.
 *
 * <h2>Configuration</h2>
 * The {@code Dialer} (one per server, wired in app on the {@code [dns]} resolver) and
 * {@link dev.sealpost.tlspolicy.mtasts.HttpMtaStsFetcher.Settings}: TLS context (trust store),
 * connect and total timeouts, and the domain → URL function (tests only). The cache size for
 * {@link dev.sealpost.tlspolicy.mtasts.MtaStsCache#inMemory}.
 */
package dev.sealpost.tlspolicy.mtasts;
