-- Sealpost store schema, version 8 (SQLite dialect; keep in step with ../postgresql/V8__sieve_scripts.sql).
-- Sieve scripts per account (RFC 5228), managed over ManageSieve (RFC 5804): a name unique per
-- account, the script text, its size in octets (UTF-8, what the quotas count) and whether it is
-- the active one. At most one active script per account: the partial unique index.
CREATE TABLE sieve_scripts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    size        BIGINT  NOT NULL,
    active      INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT  NOT NULL,
    UNIQUE (account_id, name)
);
CREATE UNIQUE INDEX sieve_scripts_one_active ON sieve_scripts(account_id) WHERE active = 1;
