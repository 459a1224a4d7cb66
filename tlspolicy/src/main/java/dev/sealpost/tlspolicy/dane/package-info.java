/**
 * DANE for SMTP (RFC 7672): TLSA look-up over DNSSEC and certificate matching.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.tlspolicy.dane.DanePolicy} looks up {@code _25._tcp.<mxhost>} TLSA records
 * and classifies the answer as a {@link dev.sealpost.tlspolicy.dane.DaneLookup} (none / usable /
 * unusable-only / tempfail); {@link dev.sealpost.tlspolicy.dane.TlsaMatcher} decides whether a
 * server's chain matches (DANE-EE(3), DANE-TA(2) with chain validation and name checks);
 * {@link dev.sealpost.tlspolicy.dane.DaneTrustManager} plugs that into the SMTP client's TLS
 * handshake and records the {@link dev.sealpost.tlspolicy.dane.DaneVerdict}.
 *
 * <h2>Security</h2>
 * Only DNSSEC-validated answers ({@code authentic}) are used: an insecure answer means DANE does
 * not apply; a SERVFAIL (including a DNSSEC-bogus answer) or timeout means defer, never downgrade
 * to cleartext or to an unauthenticated connection. Peer certificates are untrusted input, handled
 * by the JDK's X.509 code; we compare digests in constant time. DANE-TA chains are validated by the
 * JDK's PKIX validator with the matched certificate as the only anchor.
 *
 * <h2>Standards</h2>
 * RFC 7672 §2.2 (TLSA look-up, secure/insecure/bogus), §3.1 (usages: DANE-EE ignores names and
 * dates; DANE-TA requires a valid chain and name checks; PKIX-TA/PKIX-EE unusable), §3.2 (reference
 * identifiers, wildcards); RFC 6698 §2.1 (record fields); RFC 7671 §5 (usage semantics), §9 (digest
 * agility: SHA-512 preferred over SHA-256 per usage/selector). Not done: a DANE-TA(2) anchor given
 * only as a public key (2 1 0) that the server does not send; CNAME-expanded TLSA base domains
 * (the resolver follows CNAMEs internally; callers pass the names they know as reference
 * identifiers); ports other than 25 beyond {@link dev.sealpost.tlspolicy.dane.DanePolicy#tlsaName(String, int)}.
 *
 * <h2>Configuration</h2>
 * None here; the DNSSEC-validating resolver is configured in the {@code dns} module.
 */
package dev.sealpost.tlspolicy.dane;
