-- Sealpost store schema, version 1 (SQLite dialect; keep in step with ../postgresql/V1__init.sql).
-- Times are epoch milliseconds (BIGINT); booleans are INTEGER 0/1; addresses are canonical
-- (local part lower case, domain A-label) unless noted.

CREATE TABLE domains (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE accounts (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    domain_id          BIGINT  NOT NULL REFERENCES domains(id),
    address            TEXT    NOT NULL UNIQUE,
    password_hash      TEXT    NOT NULL,
    scram_salt         BLOB    NOT NULL,
    scram_iterations   INTEGER NOT NULL,
    scram_stored_key   BLOB    NOT NULL,
    scram_server_key   BLOB    NOT NULL,
    quota_bytes        BIGINT  NOT NULL DEFAULT 0,
    used_bytes         BIGINT  NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL
);
CREATE INDEX accounts_domain ON accounts(domain_id);

-- source: canonical local@domain or @domain (catch-all); target: address text as given (domain A-label)
CREATE TABLE aliases (
    source      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    domain_id   BIGINT  NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (source, target)
);
CREATE INDEX aliases_domain ON aliases(domain_id);

-- store-wide counters, e.g. the last UIDVALIDITY handed out
CREATE TABLE counters (
    name   TEXT    PRIMARY KEY,
    value  BIGINT  NOT NULL
);
INSERT INTO counters (name, value) VALUES ('uid_validity', 0);

CREATE TABLE mailboxes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    special_use     TEXT,
    uid_validity    BIGINT  NOT NULL,
    uid_next        BIGINT  NOT NULL DEFAULT 1,
    highest_modseq  BIGINT  NOT NULL DEFAULT 0,
    subscribed      INTEGER NOT NULL DEFAULT 1,
    created_at      BIGINT  NOT NULL,
    UNIQUE (account_id, name)
);

-- flags: space-separated IMAP flags and keywords; structure: cached parsed MIME structure;
-- header_*: cached envelope summary. All cache columns are nullable and rebuilt from the blob.
CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    mailbox_id         BIGINT  NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
    uid                BIGINT  NOT NULL,
    modseq             BIGINT  NOT NULL,
    blob_id            TEXT    NOT NULL,
    size               BIGINT  NOT NULL,
    internal_date      BIGINT  NOT NULL,
    flags              TEXT    NOT NULL DEFAULT '',
    queue_message_id   BIGINT,
    structure          BLOB,
    header_subject     TEXT,
    header_from        TEXT,
    header_message_id  TEXT,
    UNIQUE (mailbox_id, uid)
);
CREATE INDEX messages_mailbox_modseq ON messages(mailbox_id, modseq);
CREATE INDEX messages_blob ON messages(blob_id);

CREATE TABLE queue_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    blob_id         TEXT    NOT NULL,
    blob_size       BIGINT  NOT NULL,
    mail_from       TEXT    NOT NULL,
    client_address  TEXT,
    helo            TEXT,
    auth_user       TEXT,
    session_id      TEXT,
    require_tls     INTEGER NOT NULL DEFAULT 0,
    smtp_utf8       INTEGER NOT NULL DEFAULT 0,
    body_type       TEXT,
    dsn_ret         TEXT,
    dsn_envid       TEXT,
    received_at     BIGINT  NOT NULL,
    queued_at       BIGINT  NOT NULL,
    local_done_at   BIGINT
);

CREATE TABLE queue_recipients (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    queue_message_id  BIGINT  NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE,
    address           TEXT    NOT NULL,
    dsn_notify        TEXT,
    orcpt             TEXT,
    state             TEXT    NOT NULL,
    reason            TEXT,
    updated_at        BIGINT  NOT NULL
);
CREATE INDEX queue_recipients_message ON queue_recipients(queue_message_id);
CREATE INDEX queue_recipients_state ON queue_recipients(state, queue_message_id);

-- exactly-once local delivery: one row per (account, queue message), inserted with the copy
CREATE TABLE deliveries (
    queue_message_id  BIGINT  NOT NULL,
    account_id        BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    message_id        BIGINT  NOT NULL,
    delivered_at      BIGINT  NOT NULL,
    PRIMARY KEY (queue_message_id, account_id)
);

-- forwarding work for the outbound queue
CREATE TABLE remote_deliveries (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    queue_message_id  BIGINT  NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE,
    recipient_id      BIGINT  NOT NULL REFERENCES queue_recipients(id) ON DELETE CASCADE,
    address           TEXT    NOT NULL,
    state             TEXT    NOT NULL DEFAULT 'PENDING',
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   BIGINT  NOT NULL,
    last_error        TEXT,
    UNIQUE (recipient_id, address)
);
CREATE INDEX remote_deliveries_due ON remote_deliveries(state, next_attempt_at);
