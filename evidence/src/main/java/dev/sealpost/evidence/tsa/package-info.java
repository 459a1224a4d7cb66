/**
 * RFC 3161 time stamps for evidence records: a time-stamping authority built on Bouncy Castle's
 * TSP with a key and certificate from a small internal CA (the TSA certificate carries the
 * critical extendedKeyUsage id-kp-timeStamping that RFC 3161 §2.3 requires), tokens over the
 * SHA-256 of a record's canonical bytes, and their verification. {@code openssl ts -verify}
 * accepts the tokens with the CA certificate.
 *
 * <p><b>Security:</b> the CA and TSA private keys are owner-only PEM files in the data directory;
 * tokens given back for verification are untrusted and checked (signature, signer certificate
 * chained to the CA, extended key usage, imprint), with failures as values.
 *
 * <p><b>Standards:</b> RFC 3161 (TSP: TimeStampReq/Resp, TSTInfo, §2.3 EKU), RFC 5816 (ESSCertIDv2
 * in tokens), RFC 5652 (CMS SignedData), RFC 5280 (certificates), RFC 7468 (PEM).
 *
 * <p><b>Configuration:</b> none yet; the policy OID is {@link
 * dev.sealpost.evidence.tsa.TimeStampAuthority#DEFAULT_POLICY} (under the 2.999 example arc)
 * until a deployment has its own.
 */
package dev.sealpost.evidence.tsa;
