/**
 * Ed25519 keys and signatures for evidence: the key pair that signs records and checkpoints, its
 * raw encodings (RFC 8032 §5.1.5 public point, 32-byte seed), the C2SP signed-note key forms
 * ({@code PRIVATE+KEY+name+hash+base64} and the verifier key {@code name+hash+base64}) and the
 * 4-byte key id that names a key in a signature line; the per-domain record keys and their
 * rotation ({@code RecordKeys}: old keys kept and published, never deleted).
 *
 * <p><b>Security:</b> private keys are read from and written to owner-only files by the log;
 * verifier keys and signatures may come from outside and are checked, never trusted (a malformed
 * key text is a value, not an exception).
 *
 * <p><b>Standards:</b> RFC 8032 (Ed25519), RFC 8410 (its SPKI and PKCS #8 wrappers), C2SP
 * signed-note (key hash and key text forms).
 *
 * <p><b>Configuration:</b> none; the log key lives in the data directory.
 */
package dev.sealpost.evidence.sign;
