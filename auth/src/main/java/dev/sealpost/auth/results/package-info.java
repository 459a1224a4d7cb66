/**
 * Authentication-Results header fields (RFC 8601).
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.auth.results.AuthenticationResults} builds the field we add to accepted
 * mail ({@code spf}, {@code dkim}, {@code dmarc}, {@code arc}, {@code iprev}, {@code auth}) and
 * parses the ones found in messages. {@link dev.sealpost.auth.results.AuthenticationResults#isOurs}
 * finds incoming fields that claim our authserv-id, which must be removed before we add ours
 * (RFC 8601 §5): otherwise a sender could forge our verdicts.
 *
 * <h2>Security</h2>
 * The parser reads untrusted header values: bounded (64 KB, 100 results, 50 properties each,
 * comment depth 32) and fuzzed ({@code AuthenticationResultsFuzzTest}). Values taken from
 * messages and written by the builder are quoted when they are not plain tokens or addresses,
 * and control characters (CR, LF) become spaces, so they cannot add fields or results.
 *
 * <h2>Standards</h2>
 * RFC 8601 (§2.2 syntax, §2.5 authserv-id, §2.7 methods, §5 removal), RFC 5322 §3.2.2 CFWS,
 * RFC 2045 value, RFC 6008 {@code header.b}, RFC 7489 §11.2 {@code dmarc}, RFC 8617 §10.2 {@code arc}.
 *
 * <h2>Configuration</h2>
 * The authserv-id (normally the host name) is passed in by the caller.
 */
package dev.sealpost.auth.results;
