/**
 * ARC: the Authenticated Received Chain, validated and extended.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.auth.arc.ArcVerifier} validates the chain of ARC Sets on a received
 * message (RFC 8617 §5.2) and gives an {@link dev.sealpost.auth.arc.ArcOutcome}: the Chain
 * Validation Status ({@code none}, {@code pass}, {@code fail}), the sealer of each instance, the
 * recorded results and {@code oldest-pass}. {@link dev.sealpost.auth.arc.ArcSealer} adds our
 * set when we forward (lists, aliases that relay): ARC-Authentication-Results,
 * ARC-Message-Signature and ARC-Seal (RFC 8617 §5.1), with a canonical output mode for the
 * shared test suite. {@link dev.sealpost.auth.arc.ArcTrust} holds the sealers whose passing
 * chains may override a DMARC failure (RFC 8617 §7.2). The three header parsers
 * ({@link dev.sealpost.auth.arc.ArcAuthenticationResults}, {@link dev.sealpost.auth.arc.ArcMessageSignature},
 * {@link dev.sealpost.auth.arc.ArcSeal}) return values, never throw on content.
 * Canonicalisation, hashing, signing and key look-up are DKIM's
 * ({@link dev.sealpost.auth.dkim.DkimHasher}, {@link dev.sealpost.auth.dkim.Canonicalization},
 * {@link dev.sealpost.auth.dkim.DkimVerifier#fetchKey(String)}).
 *
 * <h2>Security</h2>
 * Parses untrusted input: ARC header fields and DNS key records. Bounded: at most 50 sets (150
 * ARC fields, more is {@code fail}), tag lists within {@link dev.sealpost.auth.TagList}'s
 * bounds, one TXT query per distinct key per message, keys as for DKIM (RSA 1024 to 8192 bits,
 * no SHA-1). A passing chain proves only who handled the message, not that they are honest:
 * results from the chain are used only for sealers listed in {@link dev.sealpost.auth.arc.ArcTrust}.
 * Private keys are never logged.
 *
 * <h2>Standards</h2>
 * RFC 8617 (ARC; the ValiMail suite targets draft-ietf-dmarc-arc-protocol-18), RFC 6376 (the
 * signature mechanics), RFC 8301, RFC 8601 (the AAR payload), RFC 7489 §6.7 (local policy
 * override). Leniencies, each decided to match the suite and deployed validators: an AMS
 * without {@code c=} is relaxed/relaxed; an empty {@code h=} entry selects nothing; the AMS
 * {@code h=} need not list From; {@code cv=} is case-insensitive; Ed25519 seals are accepted
 * (dkimpy accepts only rsa-sha256 in ARC, so seal with RSA for interoperability).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.auth.dkim.DkimPolicy} for the verifier (minimum RSA size, clock skew,
 * {@code l=}); {@link dev.sealpost.auth.arc.ArcSealOptions} for the sealer; the signing key
 * ({@link dev.sealpost.auth.dkim.DkimSigningKey}) and the trusted sealer list come from the
 * configuration / directory.
 */
package dev.sealpost.auth.arc;
