/**
 * Internals of the S/MIME engine; not API.
 *
 * <h2>Purpose</h2>
 * {@code MimeText}: byte-level MIME work around S/MIME (canonical CRLF, splitting a message into
 * outer fields and the protected entity, transfer decoding, base64 lines, boundaries).
 * {@code Crypto}: the one Bouncy Castle provider instance, guarded ASN.1 parsing (nesting checked
 * iteratively first), certificate conversion, the mail addresses of a certificate.
 * {@code SignerCheck}: per-signer verification (signature, digest, PKIX chain, CRLs, key usage,
 * RFC 8550 §3 address match) and the receiving leniencies.
 *
 * <h2>Security</h2>
 * Handles untrusted bytes from {@code dev.sealpost.secure.smime}'s verifier and decryptor; see
 * that package for the bounds. No I/O.
 *
 * <h2>Standards</h2>
 * As {@code dev.sealpost.secure.smime}; X.690 §8.1 (BER/DER TLV) for the nesting guard.
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.secure.smime.internal;
