/**
 * Evidence receipts and proofs as JSON: the inclusion proof of a record against a signed
 * checkpoint ({@code leaf_index}, {@code tree_size}, {@code leaf_hash}, {@code root_hash},
 * {@code inclusion_path}, {@code checkpoint}), a consistency proof ({@code old_size},
 * {@code new_size}, {@code old_root}, {@code new_root}, {@code proof}), and a receipt: the record,
 * its signature, its inclusion proof and optionally an RFC 3161 token, which anyone holding the
 * log's public key can verify offline.
 *
 * <p><b>Security:</b> receipts to verify are untrusted files: parsed by the strict JSON parser,
 * every field checked, every failure reported as a named check, never an exception.
 *
 * <p><b>Standards:</b> RFC 9162 §2.1.3 (inclusion proofs), §2.1.4 (consistency proofs), RFC 8785
 * (record bytes), C2SP tlog-checkpoint and signed-note, RFC 8032 (signatures), RFC 3161 (tokens),
 * RFC 4648 §4 (base64).
 *
 * <p><b>Configuration:</b> none.
 */
package dev.sealpost.evidence.receipt;
