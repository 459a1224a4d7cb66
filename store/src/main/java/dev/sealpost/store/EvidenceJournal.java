package dev.sealpost.store;

import java.util.List;

/**
 * The evidence journal (migration V19 {@code evidence_pending}): evidence records committed with
 * the spool rows of the acceptance they attest ({@link Spool#enqueue(Spool.Envelope, BlobWriter, String,
 * Spool.LocalFiling, Spool.Journal)}) and not yet appended to the Merkle log. The log's appender
 * reads them in {@code seq} order and deletes them once the log has them durably; rows that
 * outlive a crash are appended at the next start (docs/evidence.md "One durable round trip").
 */
public interface EvidenceJournal {
    /** One pending record: its commit order and its canonical bytes. */
    record Entry(long seq, byte[] record) {}

    /** Up to {@code limit} entries with {@code seq > after}, in seq order. */
    List<Entry> after(long after, int limit);

    /** Deletes the entries with {@code seq <= through} (the log has them); returns how many. */
    int removeThrough(long through);

    /** How many entries wait. */
    long count();
}
