/**
 * The evidence log in the running server.
 *
 * <h2>Purpose</h2>
 * Opens the one writer of the evidence log ({@code dev.sealpost.evidence}) at start, appends a
 * signed, time-stamped record for every message accepted (submission: SubmissionAcceptance; MX:
 * ReceivedFromNonREMSystem with its authentication results) before the "250", batching
 * concurrent appends into one fsync (group commit); signs checkpoints periodically and at
 * shutdown; serves the checkpoint, tiles and keys on the web listeners; files submission
 * receipts into the sender's {@code Receipts} mailbox when the message asked with
 * {@code Sealpost-Receipt: yes}. Records are signed by the domain's record key (created on the
 * domain's first record); the TSA stamps tree heads every second (or each record). Received DSNs
 * and MDNs get records of their own ({@code ReportRecords}), read after the "250".
 * The acceptance records commit in the spool's own transaction (the store's evidence journal,
 * migration V19): the "250" waits for one durable round trip; {@code JournalAppender} moves them
 * into the log in commit order off that path, and at start appends what a crash left (docs/evidence.md).
 *
 * <h2>Security</h2>
 * Records hold hashes and envelope metadata, never a body. The request header is taken out of the
 * message before it is stored or relayed, and honoured only from authenticated submission
 * sessions; the receipt goes to the authenticated account only. The web routes serve only
 * public data (signed checkpoints, Merkle tiles, public keys) and parse only the tile path
 * (bounded, by {@code Tiles.parsePath}). {@code ReportRecords} parses reports from strangers:
 * at most 1 MiB, MIME depth 5, 100 recipient groups, values printable and cut at 256 characters;
 * a malformed report gives no record, never an exception. A journal row is appended only once
 * committed with its message, and skipped when the log already holds its record id (no record of
 * a message that was not accepted, none twice).
 *
 * <h2>Standards</h2>
 * RFC 9162 §2.1 (Merkle tree hashing), RFC 8785 (canonical JSON), RFC 3161 (time stamps),
 * C2SP tlog-checkpoint, tlog-tiles and signed-note; RFC 6522 (multipart/report) for the receipt;
 * RFC 3464 and RFC 8098 (received reports).
 *
 * <h2>Configuration</h2>
 * {@code evidence.enabled}, {@code evidence.tsa}, {@code evidence.checkpoint_interval_seconds},
 * {@code evidence.tsa_each_record}, {@code evidence.timestamp_interval_ms};
 * the log's origin is {@code <server.hostname>/evidence}; files under {@code <server.data_dir>/evidence}.
 */
package dev.sealpost.app.evidence;
