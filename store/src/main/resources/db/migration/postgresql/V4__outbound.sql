-- Sealpost store schema, version 4: the outbound queue (module queue; keep both dialects in step).
-- remote_deliveries gets its scheduling and DSN bookkeeping:
--   priority          higher goes first among due deliveries
--   held              1 = kept back by an administrator (sealpost queue hold) until released
--   first_attempt_at, last_attempt_at   epoch ms of the first and the latest attempt
--   warned_at         when the delay DSN was owed (sent at most once, RFC 3464 action "delayed")
--   last_reply        the last SMTP reply (or our own diagnostic), as text for DSNs and the CLI
--   remote_mta        the host that gave last_reply (DSN Remote-MTA, RFC 3464 §2.3.5)
--   dsn_pending       a DSN still owed for this delivery: failed | delayed | delivered | relayed
--                     (RFC 3464 §2.3.3 actions); cleared in the transaction that spools the DSN
--   done_at           when the delivery reached DELIVERED or FAILED
ALTER TABLE remote_deliveries ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remote_deliveries ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remote_deliveries ADD COLUMN first_attempt_at BIGINT;
ALTER TABLE remote_deliveries ADD COLUMN last_attempt_at BIGINT;
ALTER TABLE remote_deliveries ADD COLUMN warned_at BIGINT;
ALTER TABLE remote_deliveries ADD COLUMN last_reply TEXT;
ALTER TABLE remote_deliveries ADD COLUMN remote_mta TEXT;
ALTER TABLE remote_deliveries ADD COLUMN dsn_pending TEXT;
ALTER TABLE remote_deliveries ADD COLUMN done_at BIGINT;
CREATE INDEX remote_deliveries_dsn ON remote_deliveries(dsn_pending);
CREATE INDEX remote_deliveries_message ON remote_deliveries(queue_message_id);
-- outbound_prepared: the hook that runs once before the first remote attempt (DKIM/ARC signing)
-- has run; blob_id then names the prepared content.
ALTER TABLE queue_messages ADD COLUMN outbound_prepared INTEGER NOT NULL DEFAULT 0;
