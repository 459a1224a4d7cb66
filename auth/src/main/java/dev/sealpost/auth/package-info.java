/**
 * Message authentication: SPF, DKIM, DMARC, ARC, BIMI, iprev and Authentication-Results.
 *
 * <h2>Purpose</h2>
 * Our own implementation of the sender-authentication RFCs, as a library: results are values
 * in RFC terms, DNS goes through {@link dev.sealpost.dns.Resolver}, a message is parsed once.
 * Sub-packages: {@code spf}, {@code dkim}, {@code dmarc}, {@code arc}, {@code iprev}, {@code results}.
 *
 * <h2>Security</h2>
 * Parses untrusted input: DNS records, message headers, signatures. Every parser is bounded
 * and fuzzed; DNS work per message is bounded in count (SPF's 10 and 2 limits) and time.
 *
 * <h2>Standards</h2>
 * RFC 7208, 6376, 8301, 8463, 7489, 8617, 8601.
 *
 * <h2>Configuration</h2>
 * None here; the inbound policy decides what to do with the results.
 */
package dev.sealpost.auth;
