-- Sealpost store schema, version 10 (sqlite dialect; keep in step with ../postgresql/V10__quarantine.sql).
-- The filter's quarantine (docs/filter.md "Quarantine"): messages accepted with "250" but held
-- apart from every mailbox (not visible over IMAP or POP3), one row per recipient account.
--   queue_message_id, recipient, account_id   the spool message and the recipient it was held for;
--                    account_id 0 for an address forwarded elsewhere (release re-queues it). Unique,
--                    so a redo of local delivery after a crash holds nothing twice.
--   verdict          the filter's action word (quarantine), score the score as text (14.0)
--   hits             one line per hit: name, weight, detail
--   message          the message as it was stored in the spool (our header fields on top)
--   expires_at       epoch ms after which the purge deletes it (filter.quarantine_days)
CREATE TABLE quarantine (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    queue_message_id  BIGINT  NOT NULL,
    account_id        BIGINT  NOT NULL,
    recipient         TEXT    NOT NULL,
    mail_from         TEXT    NOT NULL,
    from_header       TEXT,
    subject           TEXT,
    verdict           TEXT    NOT NULL,
    score             TEXT    NOT NULL,
    hits              TEXT    NOT NULL,
    session_id        TEXT,
    size              BIGINT  NOT NULL,
    message           BLOB    NOT NULL,
    received_at       BIGINT  NOT NULL,
    expires_at        BIGINT  NOT NULL,
    UNIQUE (queue_message_id, account_id, recipient)
);
CREATE INDEX quarantine_recipient ON quarantine (recipient);
CREATE INDEX quarantine_expires ON quarantine (expires_at);
