-- Sealpost store schema, version 18 (SQLite dialect; keep in step with ../postgresql/V18__totp.sql).
-- Optional second factor for the web admin login (issue 16, docs/web-admin.md): one TOTP
-- secret per account (RFC 6238), made by `sealpost account totp enable`:
--   secret     the shared secret, sealed (AES-256-GCM) under the key-encryption key, bound to the address
--   last_step  the last time step a code was accepted for (RFC 6238 §5.2: a code is used once), -1 before
CREATE TABLE account_totp (
    account_id  BIGINT  NOT NULL PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    secret      BLOB    NOT NULL,
    last_step   BIGINT  NOT NULL DEFAULT -1,
    created_at  BIGINT  NOT NULL
);
