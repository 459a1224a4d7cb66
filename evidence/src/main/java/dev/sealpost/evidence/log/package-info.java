/**
 * The evidence log on disk: an append-only store of signed records and their RFC 9162 leaf hashes
 * in the data directory ({@code <data>/evidence/}), the signed checkpoints it has published, and
 * the audit that recomputes the whole tree from the stored records and compares it with every
 * checkpoint.
 *
 * <p><b>Security:</b> the files are written only by appending; a record and its leaf are fsync'd
 * before {@code append} returns; after a crash only a torn tail (an incomplete last frame, or one
 * record or leaf the other file lacks) is cut off, anything else refuses to open and is left for
 * {@link dev.sealpost.evidence.log.EvidenceLog#audit audit} to report. The log key (a secret) is
 * an owner-only file. Record bytes read back are parsed strictly.
 *
 * <p><b>Standards:</b> RFC 9162 §2.1 (leaves, tree, proofs), RFC 8785 (record bytes), C2SP
 * tlog-checkpoint and signed-note (checkpoints), C2SP tlog-tiles (tiles served from the log),
 * CRC-32C (Castagnoli) frame checksums.
 *
 * <p><b>Configuration:</b> the data directory and the log's origin (its key name) come from the
 * caller; no keys of its own yet.
 */
package dev.sealpost.evidence.log;
