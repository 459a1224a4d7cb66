package dev.sealpost.secure.smime;

/** Why verifying or decrypting failed: each name is one cause, fit for logs and Authentication-Results comments. */
public enum SmimeFailure {
    /** The input is larger than {@link SmimeLimits#maxMessageBytes()}. */
    MESSAGE_TOO_LARGE,
    /** The MIME structure hit a parser limit (nesting, parts, header size). */
    MIME_LIMIT,
    /** The MIME structure is not what RFC 8551 §3 / RFC 1847 require (part count, transfer encoding, base64). */
    MALFORMED_MIME,
    /** The CMS object does not parse, or is not the content type the MIME labels promise. */
    MALFORMED_CMS,
    /** The CMS object's ASN.1 nests deeper than 64 levels (checked before parsing, so the parser cannot run out of stack). */
    CMS_TOO_DEEP,
    /** More SignerInfos than {@link SmimeLimits#maxSigners()}. */
    TOO_MANY_SIGNERS,
    /** More certificates than {@link SmimeLimits#maxCertificates()}. */
    TOO_MANY_CERTIFICATES,
    /** More RecipientInfos than {@link SmimeLimits#maxRecipients()}. */
    TOO_MANY_RECIPIENTS,
    /** The signer's certificate is not in the SignedData. */
    SIGNER_CERTIFICATE_MISSING,
    /** An algorithm refused even on receipt (MD5, MD2, single DES). */
    WEAK_ALGORITHM,
    /** An algorithm or key we cannot process (e.g. a DSA key whose parameters are inherited). */
    UNSUPPORTED_ALGORITHM,
    /** The messageDigest attribute does not match the content (RFC 5652 §11.2): the content was changed. */
    DIGEST_MISMATCH,
    /** The signature value does not verify with the signer's public key. */
    BAD_SIGNATURE,
    /** A certificate of the signer's chain is revoked by a supplied CRL. */
    REVOKED,
    /** The message is not encrypted (decryption was asked for). */
    NOT_ENCRYPTED,
    /** Our RecipientInfo is present, but the key or the content does not decrypt, or the GCM tag is wrong. */
    DECRYPTION_FAILED
}
