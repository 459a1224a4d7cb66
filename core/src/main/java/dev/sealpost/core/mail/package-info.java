/**
 * Mail address value types: {@link dev.sealpost.core.mail.EmailAddress} and
 * {@link dev.sealpost.core.mail.Domain}.
 *
 * <h2>Purpose</h2>
 * Parse once, at the edge, into values that are valid by construction: domains in lower-case
 * A-label form, local parts unquoted and case-preserved, with a canonical form for look-ups.
 *
 * <h2>Security</h2>
 * Parses untrusted input (SMTP paths, headers, login names). Lengths are bounded by the RFC
 * limits (local part 64 octets, domain 255) before any work; invalid input gives an empty
 * Optional, never an exception. Pure functions: no I/O, no DNS.
 *
 * <h2>Standards</h2>
 * RFC 5321 §4.1.2 and §4.5.3.1 (syntax and limits), RFC 5322 §3.2.3 (atext), RFC 6531 §3.3
 * (UTF-8 local parts), RFC 5890/5891 via {@link java.net.IDN} (IDNA2003 processing: a known
 * gap against IDNA2008 for a few characters such as ß and ς).
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.core.mail;
