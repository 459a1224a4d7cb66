/**
 * S/MIME 4.0: sign, verify, encrypt and decrypt whole messages, as values, without I/O.
 *
 * <h2>Purpose</h2>
 * The engine the gateway policy (issue 13) will call; nothing in the server calls it yet.
 * {@link dev.sealpost.secure.smime.SmimeSigner} makes clear-signed {@code multipart/signed}
 * messages; {@link dev.sealpost.secure.smime.SmimeVerifier} verifies those and opaque
 * {@code signed-data}, returning a {@link dev.sealpost.secure.smime.SmimeVerification} in the
 * Authentication-Results {@code smime} vocabulary (pass, policy, fail, none);
 * {@link dev.sealpost.secure.smime.SmimeEncryptor} makes {@code authEnveloped-data} (AES-256-GCM)
 * or, on request, {@code enveloped-data} (AES-256-CBC) to every recipient and the sender;
 * {@link dev.sealpost.secure.smime.SmimeDecryptor} decrypts with one private key into a
 * {@link dev.sealpost.secure.smime.SmimeDecryption} (Decrypted, NotForUs, Fail). Failures have
 * names ({@link dev.sealpost.secure.smime.SmimeFailure}); exceptions are only for bugs and for
 * configuration faults (an unusable signing key, a recipient key type we cannot encrypt to).
 *
 * <h2>Security</h2>
 * The verifier and decryptor parse untrusted input: the MIME structure with the {@code message}
 * module's bounded parser, and CMS through Bouncy Castle (bcpkix) behind our own guards: input
 * size, MIME depth, ASN.1 nesting (checked without recursion before BC parses, 64 levels), number
 * of signers, certificates and recipients ({@link dev.sealpost.secure.smime.SmimeLimits}). BC's
 * exceptions on malformed input become {@code MALFORMED_CMS}. Nothing here reaches the network or
 * the file system: trust anchors and CRLs are given, revocation uses only the given CRLs (no OCSP,
 * no CRL distribution points). The Bouncy Castle provider is passed explicitly to each builder and
 * never installed globally. Leniencies on receipt are marked where they are implemented:
 * SHA-1/DSA signatures, 3DES/RC2 content, signedAttrs hashed in received order when not in DER
 * order (RFC 4134 §4.10), DSA parameters inherited from the issuer (RFC 3279 §2.3.2), bare-LF
 * copies re-canonicalized, {@code x-pkcs7-*} media types, a missing {@code smime-type}. CBC
 * content ({@code enveloped-data}) has no integrity and is reported as not authenticated.
 * Private keys are held as given; storing them encrypted at rest is the key store's job
 * ({@code store.Keys}). {@link dev.sealpost.secure.smime.SmimeCa} makes a domain's internal CA and
 * issues account certificates (RSA-3072, SHA-256, emailProtection, rfc822Name).
 *
 * <h2>Standards</h2>
 * RFC 8551 (S/MIME 4.0 message specification), RFC 8550 (certificate handling: §3 address
 * match, §4.4 key usage), RFC 5652 (CMS), RFC 5083 / RFC 5084 (AuthEnvelopedData, AES-GCM),
 * RFC 8419 (EdDSA in CMS), RFC 5753 (ECC in CMS), RFC 4055 / RFC 8017 (RSASSA-PSS, RSAES-OAEP),
 * RFC 1847 (multipart/signed), RFC 2045/2046 (MIME), RFC 5280 (PKIX path validation, via the
 * JDK), RFC 6211 (CMSAlgorithmProtection, written by BC), RFC 7281 (the {@code smime} result
 * vocabulary), RFC 4134 and RFC 9216 (test vectors).
 *
 * <h2>Configuration</h2>
 * None read here. Callers pass keys, certificates, trust anchors, CRLs, a {@link java.time.Clock}
 * and {@link dev.sealpost.secure.smime.SmimeLimits} ({@code defaults()}: 64 MiB, MIME depth 20,
 * 8 signers, 50 certificates, 500 recipients).
 */
package dev.sealpost.secure.smime;
