/**
 * The Sender Rewriting Scheme (SRS): the envelope sender of mail we forward to another domain
 * (an alias pointing elsewhere, a Sieve {@code redirect}) is rewritten into an address of ours,
 * so that SPF (RFC 7208) at the next hop checks our servers rather than the original sender's,
 * and bounces to that address come back to us and are sent on to the original sender.
 * {@link dev.sealpost.queue.srs.Srs} rewrites and reverses, {@link dev.sealpost.queue.srs.SrsSecrets}
 * keeps the keys.
 *
 * <h2>Purpose</h2>
 * Format as in Shevek's paper and libsrs2 (the de-facto standard, no RFC):
 * {@code SRS0=HHHH=TT=domain=local@our-domain}, where TT is the day number (days since the
 * epoch, mod 1024) in two base32 characters and HHHH the first four base64 characters of an
 * HMAC-SHA1 over the lower-cased time stamp, domain and local part. Re-forwarding an SRS0
 * address gives {@code SRS1=HHHH=first-forwarder==HHHH=TT=domain=local@our-domain}, whose
 * reversal is the SRS0 address at the first forwarder.
 *
 * <h2>Security</h2>
 * Reversal parses untrusted addresses (the recipient of a bounce at our MX): a hash or time
 * stamp that does not check is refused, so the MX is no open relay for forged SRS addresses
 * (no backscatter). Hashes compare in constant time and case-insensitively (some MTAs change
 * the case of local parts). Secrets live in a file readable by the owner only, generated at the
 * first start; several secrets can be listed (first signs, all verify) to rotate keys without
 * breaking bounces in flight. Reaches: that file only.
 *
 * <h2>Standards</h2>
 * RFC 7208 §1.1.3 and Appendix D (forwarding breaks SPF; SRS as a remedy); RFC 5321 §3.9.1
 * (the forwarder's reverse-path), §4.5.5 (the null reverse-path is never rewritten).
 *
 * <h2>Configuration</h2>
 * {@code [srs]}: {@code enabled}, {@code max_age_days} (how old a time stamp may be, default 21),
 * {@code secret_file} (default {@code srs-secrets} in the data directory).
 */
package dev.sealpost.queue.srs;
