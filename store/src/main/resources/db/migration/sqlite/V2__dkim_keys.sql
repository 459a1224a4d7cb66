-- Sealpost store schema, version 2 (SQLite dialect; keep in step with ../postgresql/V2__dkim_keys.sql).
-- DKIM signing keys per local domain and selector (RFC 6376 §3.1, RFC 8463).
-- private_key: PKCS#8 DER (a secret: this database file's permissions protect it);
-- public_record: the TXT value to publish at <selector>._domainkey.<domain>;
-- state: active (signs new mail), retiring (no longer signs, record still published),
-- retired (record may be removed). Selectors are stored in lower case.

CREATE TABLE dkim_keys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    domain_id      BIGINT  NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    selector       TEXT    NOT NULL,
    algorithm      TEXT    NOT NULL CHECK (algorithm IN ('rsa-sha256', 'ed25519-sha256')),
    private_key    BLOB    NOT NULL,
    public_record  TEXT    NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'retiring', 'retired')),
    created_at     BIGINT  NOT NULL,
    retired_at     BIGINT,
    UNIQUE (domain_id, selector)
);
