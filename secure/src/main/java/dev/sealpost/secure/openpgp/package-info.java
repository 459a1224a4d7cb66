/**
 * OpenPGP on Bouncy Castle (bcpg): keys, signatures, encryption, PGP/MIME, Autocrypt headers and
 * WKD names, as values, without I/O.
 *
 * <h2>Purpose</h2>
 * The engine the gateway policy (issue 13) and {@code bin/sealpost sop} call.
 * {@link dev.sealpost.secure.openpgp.OpenPgpKeys} generates keys (v4 Ed25519/Curve25519 by default,
 * RSA-3072 or v6 on request), reads armored or binary keys and certificates (v4, v6), extracts
 * certificates and armors; {@link dev.sealpost.secure.openpgp.OpenPgpSigner} and
 * {@link dev.sealpost.secure.openpgp.OpenPgpVerifier} make and check detached, inline and cleartext
 * signatures; {@link dev.sealpost.secure.openpgp.OpenPgpEncryptor} and
 * {@link dev.sealpost.secure.openpgp.OpenPgpDecryptor} encrypt (SEIPD v1, or v2 when every
 * recipient is v6) and decrypt; {@link dev.sealpost.secure.openpgp.PgpMime} builds and opens
 * RFC 3156 messages; {@link dev.sealpost.secure.openpgp.AutocryptHeader} parses and writes the
 * {@code Autocrypt:} header; {@link dev.sealpost.secure.openpgp.WebKeyDirectory} computes WKD names.
 * Outcomes are values ({@link dev.sealpost.secure.openpgp.OpenPgpVerification},
 * {@link dev.sealpost.secure.openpgp.OpenPgpDecryption}); unusable input or key material is a named
 * {@link dev.sealpost.secure.openpgp.OpenPgpException}.
 *
 * <h2>Security</h2>
 * Verifier, decryptor, PGP/MIME reader and Autocrypt parser read untrusted input. Sizes are bounded
 * (64 MiB messages and plaintext by default, 4 MiB of key material; Autocrypt: 64 Ki characters of
 * header value, 32 KiB of keydata, 32 attributes); Bouncy Castle parses the packets and bounds
 * nesting ({@code OpenPGPMessageInputStream.MAX_RECURSION}). Its exceptions become named failures.
 * Reading keys refuses v6 keys with the legacy Curve25519 encodings (RFC 9580 §9.2), which BC
 * accepts, and v3/v5 keys. Decryption refuses messages without integrity protection (SED, RFC 9580
 * §5.7; tested) and fails on a broken MDC or AEAD tag. Data signatures over SHA-1 or MD5 are
 * refused by BC's default policy (a GnuPG 2.2 signer picks SHA-1 when the recipient's User ID
 * self-signature lists no hash preferences: ours list SHA-2). Secret keys are held
 * as given (unprotected or unlocked); storing them encrypted at rest is the key store's job. Nothing
 * here reaches the network or the file system.
 *
 * <h2>Standards</h2>
 * RFC 9580 (OpenPGP: v4 and v6 keys, SEIPD v1/v2, cleartext signatures, armor), RFC 3156
 * (PGP/MIME), RFC 1847 (multipart/signed and multipart/encrypted), Autocrypt Level 1,
 * draft-koch-openpgp-webkey-service (WKD), draft-dkg-openpgp-stateless-cli (the SOP profile names).
 *
 * <h2>Configuration</h2>
 * None read here. Callers pass keys, certificates, a {@link java.time.Clock} and size limits.
 */
package dev.sealpost.secure.openpgp;
