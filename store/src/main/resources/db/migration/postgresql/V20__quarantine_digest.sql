-- Sealpost store schema, version 20 (postgresql dialect; keep in step with ../sqlite/V20__quarantine_digest.sql).
-- The quarantine digest (docs/filter.md "Quarantine digest"): per account, the newest quarantine
-- entry a digest has listed and when that digest was sent, so that a digest goes out only when
-- something new was held since the last one, and at most once per filter.quarantine_digest.
--   account_id     the recipient account
--   last_entry_id  quarantine.id of the newest entry the last digest listed
--   sent_at        epoch ms of the last digest
CREATE TABLE quarantine_digest (
    account_id     BIGINT  NOT NULL PRIMARY KEY,
    last_entry_id  BIGINT  NOT NULL,
    sent_at        BIGINT  NOT NULL
);
