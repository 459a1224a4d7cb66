/**
 * Evidence (issue 17): canonical records of submission and delivery events, signed, and appended
 * to an append-only Merkle log hashed as RFC 9162 §2.1 says.
 *
 * <p><b>Security:</b> records hold hashes and metadata, never message bodies. Proof and checkpoint
 * input from outside is untrusted and verified, never assumed well formed.
 *
 * <p><b>Standards:</b> RFC 9162 §2.1 (Merkle tree hashing, proofs), RFC 8785 (canonical JSON),
 * RFC 3161 (time stamps).
 *
 * <p><b>Configuration:</b> none yet.
 */
package dev.sealpost.evidence;
