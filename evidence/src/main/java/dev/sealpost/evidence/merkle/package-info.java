/**
 * Merkle tree hashing and proofs exactly as RFC 9162 §2.1 defines them: the tree head of any
 * prefix of the log, inclusion proofs (§2.1.3) and consistency proofs (§2.1.4), their generation
 * from the stored leaf hashes and their verification.
 *
 * <p><b>Security:</b> the verifiers take proofs, sizes and hashes from outside (receipts, the
 * CLI, other logs) and are built for hostile input: every failure is a {@link
 * dev.sealpost.evidence.merkle.Verification} with a reason, never an exception; hashes of the
 * wrong length are refused before any arithmetic; proofs longer than 64 steps are refused. No
 * I/O.
 *
 * <p><b>Standards:</b> RFC 9162 §2.1.1 (MTH: leaf {@code SHA-256(0x00 || d)}, node {@code
 * SHA-256(0x01 || l || r)}, empty tree {@code SHA-256("")}), §2.1.3 and §2.1.4 (proofs and their
 * verification algorithms).
 *
 * <p><b>Configuration:</b> none.
 */
package dev.sealpost.evidence.merkle;
