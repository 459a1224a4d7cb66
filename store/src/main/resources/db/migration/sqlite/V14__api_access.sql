-- Sealpost store schema, version 14 (SQLite dialect; keep in step with ../postgresql/V14__api_access.sql).
-- Who may do what through the admin API (issue 16, docs/api.md):
-- account_roles: roles beyond "user" (every account may manage itself):
--   role    'admin' (server admin: everything) or 'domain-admin' (the domains named in domain)
--   domain  the A-label domain of a domain-admin row; '' for an admin row
-- api_tokens: bearer tokens made with `sealpost token create`; only the SHA-256 of the token is
-- kept (the token itself is printed once and never stored):
--   token_hash    SHA-256 of the whole token text (32 bytes)
--   scope         the most the token may do: 'admin', 'domain' or 'self' (capped by the account's roles at each request)
--   name          the operator's label for it
--   last_used_at  when it last authenticated a request (epoch ms), NULL before
--   revoked_at    when `sealpost token revoke` ended it (epoch ms), NULL while valid
CREATE TABLE account_roles (
    account_id  BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN ('admin', 'domain-admin')),
    domain      TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (account_id, role, domain)
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    scope         TEXT    NOT NULL CHECK (scope IN ('admin', 'domain', 'self')),
    token_hash    BLOB    NOT NULL UNIQUE,
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);
