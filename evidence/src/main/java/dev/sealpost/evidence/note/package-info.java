/**
 * C2SP signed notes and tlog checkpoints: the log's signed tree heads, in the form every tlog
 * client, witness and monitor reads.
 *
 * <p><b>Security:</b> notes and checkpoints come from outside (receipts, other servers, witnesses)
 * and are parsed strictly and bounded (size, number of signatures); a note is accepted only when a
 * known key's signature verifies over its exact text. Failures are values with a reason.
 *
 * <p><b>Standards:</b> C2SP signed-note (text, signature lines, key hash, Ed25519 type 0x01), C2SP
 * tlog-checkpoint (origin, decimal size, base64 root, extension lines), RFC 8032 (Ed25519), RFC
 * 4648 §4 (base64).
 *
 * <p><b>Configuration:</b> none; the origin and key come from the log.
 */
package dev.sealpost.evidence.note;
