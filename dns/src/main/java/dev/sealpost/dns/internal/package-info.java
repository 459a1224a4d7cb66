/**
 * Internals of the DNS module; not API.
 *
 * <h2>Purpose</h2>
 * Name parsing ({@link dev.sealpost.dns.internal.DnsNames}), dnsjava record to value mapping
 * ({@link dev.sealpost.dns.internal.RecordMapper}), the TTL cache
 * ({@link dev.sealpost.dns.internal.AnswerCache}) and the built-in root trust anchors
 * ({@link dev.sealpost.dns.internal.RootTrustAnchors}).
 *
 * <h2>Security</h2>
 * {@code DnsNames.parse} takes peer-supplied names: it checks label and name lengths
 * (RFC 1035 §2.3.4) and never interprets escapes. {@code RecordMapper} decodes TXT data as UTF-8
 * with replacement. The cache is bounded (least recently used goes first) and thread-safe.
 *
 * <h2>Standards</h2>
 * RFC 1035 §2.3.4, §3.2.1, §3.3; RFC 2308 §5; RFC 7208 §3.3 and RFC 6376 §3.6.2.2 (TXT strings);
 * IANA root trust anchors (root-anchors.xml).
 *
 * <h2>Configuration</h2>
 * None of its own; sizes come from {@link dev.sealpost.dns.DnsSettings}.
 */
package dev.sealpost.dns.internal;
