-- Sealpost store schema, version 6 (SQLite dialect; keep in step with ../postgresql/V6__imap.sql).
-- What IMAP needs beyond delivery:
--   messages.save_date          RFC 8514 SAVEDATE: when the message was put in this mailbox (epoch ms)
--   messages.email_id           RFC 8474 EMAILID: kept by COPY and MOVE ('M' + hex of the first row's id)
--   messages.thread_id          RFC 8474 THREADID: shared by messages linked through Message-ID,
--                               In-Reply-To and References ('T' + hex of the thread's first row's id)
--   messages.header_references  cached In-Reply-To / References message ids, space separated
--   expunged                    UIDs removed from a mailbox with the MODSEQ of their expunge
--                               (RFC 7162 §3.2.5 VANISHED); they go with their mailbox
--   subscriptions               RFC 9051 §6.3.7: names, existing or not (replaces mailboxes.subscribed,
--                               which is no longer read)
--   mailbox_acl                 RFC 4314 rights of identifiers other than the owner
--   metadata                    RFC 5464 entries: of a mailbox, or of the account when mailbox_id is NULL
ALTER TABLE messages ADD COLUMN save_date BIGINT;
ALTER TABLE messages ADD COLUMN email_id TEXT;
ALTER TABLE messages ADD COLUMN thread_id TEXT;
ALTER TABLE messages ADD COLUMN header_references TEXT;
UPDATE messages SET save_date = internal_date, email_id = 'M' || printf('%x', id), thread_id = 'T' || printf('%x', id);
CREATE INDEX messages_message_id ON messages(header_message_id);

CREATE TABLE expunged (
    mailbox_id  BIGINT  NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
    uid         BIGINT  NOT NULL,
    modseq      BIGINT  NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX expunged_modseq ON expunged(mailbox_id, modseq);

CREATE TABLE subscriptions (
    account_id  BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    PRIMARY KEY (account_id, name)
);
INSERT INTO subscriptions (account_id, name) SELECT account_id, name FROM mailboxes WHERE subscribed = 1;

CREATE TABLE mailbox_acl (
    mailbox_id  BIGINT  NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
    identifier  TEXT    NOT NULL,
    rights      TEXT    NOT NULL,
    PRIMARY KEY (mailbox_id, identifier)
);
CREATE INDEX mailbox_acl_identifier ON mailbox_acl(identifier);

CREATE TABLE metadata (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    mailbox_id  BIGINT  REFERENCES mailboxes(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    value       TEXT    NOT NULL
);
-- one entry per (account, mailbox or none, name): NULLs are distinct in a plain UNIQUE constraint
CREATE UNIQUE INDEX metadata_entry ON metadata(account_id, COALESCE(mailbox_id, 0), name);
CREATE INDEX metadata_mailbox ON metadata(mailbox_id);
