-- Sealpost store schema, version 12 (PostgreSQL dialect; keep in step with ../sqlite/V12__sieve_vacation.sql).
-- The vacation memory (RFC 5230 §4.2, RFC 6131): a reply with this handle went to this sender
-- and no other is sent to it before expires_at (epoch milliseconds). Senders are lower case.
CREATE TABLE sieve_vacation (
    account_id  BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    handle      TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL,
    PRIMARY KEY (account_id, handle, sender)
);
CREATE INDEX sieve_vacation_expiry ON sieve_vacation(expires_at);
