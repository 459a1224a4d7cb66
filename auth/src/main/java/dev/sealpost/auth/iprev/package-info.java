/**
 * iprev: forward-confirmed reverse DNS of the SMTP client (RFC 8601 §3).
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.auth.iprev.IprevVerifier} looks up the client's PTR names and confirms one
 * by its A/AAAA records, giving pass, fail, temperror or permerror with the confirmed name, for
 * Authentication-Results ({@code iprev=pass policy.iprev=192.0.2.1}).
 *
 * <h2>Security</h2>
 * PTR data is controlled by whoever owns the client's address space: names are only used as
 * query names (normalized, length-checked), at most 10 are tried, and the check has a time
 * budget. Reaches only the {@link dev.sealpost.dns.Resolver} it is given.
 *
 * <h2>Standards</h2>
 * RFC 8601 §3 (result meanings: no PTR data is permerror, disagreeing or empty forward lookups
 * are fail, transient DNS errors are temperror); RFC 4291 §2.5.5.2 (IPv4-mapped addresses are
 * checked as IPv4).
 *
 * <h2>Configuration</h2>
 * The time budget (constructor argument, default 20 s).
 */
package dev.sealpost.auth.iprev;
