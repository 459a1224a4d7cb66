-- Sealpost store schema, version 19 (sqlite dialect; keep in step with ../postgresql/V19__evidence_pending.sql).
-- The evidence journal (docs/evidence.md "One durable round trip"): an acceptance's evidence
-- records, written in the same transaction as the spool rows they attest, so that the "250"
-- waits for one commit only. A background appender moves them, in seq order, into the Merkle
-- log (data/evidence) and then deletes them; at start the server appends whatever is left.
--   seq         the order of acceptance (commit order); the log takes the records in this order
--   record      the record's RFC 8785 canonical JSON bytes (unsigned: the appender signs them)
--   created_at  epoch ms of the commit
CREATE TABLE evidence_pending (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    record      BLOB    NOT NULL,
    created_at  BIGINT  NOT NULL
);
