/**
 * DKIM: DomainKeys Identified Mail signatures, verified and made.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.auth.dkim.DkimVerifier} checks every DKIM-Signature of an
 * {@link dev.sealpost.auth.AuthMessage} and gives one {@link dev.sealpost.auth.dkim.DkimResult}
 * per field in RFC 8601 words; {@link dev.sealpost.auth.dkim.DkimSigner} makes the field for
 * outgoing mail (relaxed/relaxed, From/Subject/To/Date oversigned). rsa-sha256 and
 * ed25519-sha256; rsa-sha1 is parsed and refused. {@link dev.sealpost.auth.dkim.DkimHasher},
 * {@link dev.sealpost.auth.dkim.Canonicalization} and
 * {@link dev.sealpost.auth.dkim.DkimVerifier#fetchKey(String)} are the building blocks ARC reuses.
 *
 * <h2>Security</h2>
 * Parses untrusted input: signature fields and DNS key records (bounded tag lists, bounded DER,
 * RSA keys of 1024 to 8192 bits). Reaches DNS only through {@link dev.sealpost.dns.Resolver},
 * one TXT query per signature, at most {@link dev.sealpost.auth.dkim.DkimPolicy#maxSignatures()}
 * signatures per message. {@code l=} is refused unless the policy allows it (RFC 6376 §8.2).
 * Digest and signature comparisons are constant-time. Private keys are never logged.
 *
 * <h2>Standards</h2>
 * RFC 6376 (DKIM), RFC 8301 (no SHA-1, RSA at least 1024 bits), RFC 8463 (Ed25519), RFC 8460 §3
 * ({@code s=tlsrpt} keys), RFC 8601 §2.7.1 (result words), RFC 6008 ({@code header.b}).
 * Leniencies: {@code q=dns} is read as {@code dns/txt}; {@code v=} may be anywhere in a key
 * record; selectors may contain {@code _}; bare PKCS#1 RSAPublicKey {@code p=} values are accepted.
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.auth.dkim.DkimPolicy} (l=, signature count, clock skew, minimum RSA size,
 * TLS-RPT mode) and {@link dev.sealpost.auth.dkim.SignOptions}; keys come from the directory,
 * read with {@link dev.sealpost.auth.dkim.DkimKeys}.
 */
package dev.sealpost.auth.dkim;
