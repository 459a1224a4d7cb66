-- Sealpost store schema, version 17 (SQLite dialect; keep in step with ../postgresql/V17__sieve_global.sql).
-- Admin-managed Sieve scripts that run before and after each user's own (as Pigeonhole's
-- sieve_before / sieve_after): server-wide (domain '') or for one domain, in name order within
-- a phase.
CREATE TABLE sieve_global_scripts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    domain      TEXT    NOT NULL,
    phase       TEXT    NOT NULL CHECK (phase IN ('before', 'after')),
    name        TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
    UNIQUE (domain, phase, name)
);
-- What Sieve sent for a delivery (redirect, vacation reply, notification, error report), keyed
-- by the queue message, the account and the action: inserted in the same transaction as the
-- message it sends, so that a delivery redone after a crash sends nothing twice. Rows older
-- than the retention are purged.
CREATE TABLE sieve_sends (
    send_key         TEXT    NOT NULL PRIMARY KEY,
    queue_message_id BIGINT  NOT NULL,
    created_at       BIGINT  NOT NULL
);
CREATE INDEX sieve_sends_created ON sieve_sends(created_at);
