/**
 * Network value types.
 *
 * <h2>Purpose</h2>
 * IP networks in CIDR notation for allow lists (trusted forwarders, later rate limits).
 *
 * <h2>Security</h2>
 * Parses configuration and never resolves names: only IP literals are accepted.
 *
 * <h2>Standards</h2>
 * RFC 4632 (CIDR), RFC 4291 (IPv6 addressing).
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.core.net;
