-- Sealpost store schema, version 13 (sqlite dialect; keep in step with ../postgresql/V13__keys.sql).
-- Message-security keys (issue 13). Private parts are never stored in clear: private_key holds
-- the AES-256-GCM sealed form under the server key-encryption key (a file outside the database,
-- keys/kek in the data directory; see docs/keys.md), which binds the row's type and fingerprint.
-- fingerprint: OpenPGP primary-key fingerprint (upper-case hex) or, for S/MIME, the SHA-256 of
-- the certificate's DER (upper-case hex). public_key: the binary OpenPGP certificate or the
-- X.509 certificate DER.

-- Own keys of local accounts: the newest non-revoked key of a type is the one used.
CREATE TABLE own_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    type         TEXT    NOT NULL CHECK (type IN ('openpgp', 'smime')),
    fingerprint  TEXT    NOT NULL,
    public_key   BLOB   NOT NULL,
    private_key  BLOB   NOT NULL,
    created_at   BIGINT  NOT NULL,
    revoked_at   BIGINT,
    UNIQUE (type, fingerprint)
);
CREATE INDEX own_keys_account ON own_keys(account_id, type);

-- Other people's certificates and keys, by lower-cased address, with where they came from and
-- the validity the key itself states (valid_until NULL: no expiry).
CREATE TABLE peer_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    address      TEXT    NOT NULL,
    type         TEXT    NOT NULL CHECK (type IN ('openpgp', 'smime')),
    fingerprint  TEXT    NOT NULL,
    public_key   BLOB   NOT NULL,
    origin       TEXT    NOT NULL CHECK (origin IN ('import', 'autocrypt', 'wkd', 'smimea', 'openpgpkey', 'signature')),
    valid_from   BIGINT,
    valid_until  BIGINT,
    added_at     BIGINT  NOT NULL,
    last_seen    BIGINT  NOT NULL,
    revoked_at   BIGINT,
    UNIQUE (address, type, fingerprint)
);

-- The internal S/MIME CA of a local domain: its self-signed certificate and sealed private key.
CREATE TABLE smime_cas (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    domain_id    BIGINT  NOT NULL UNIQUE REFERENCES domains(id) ON DELETE CASCADE,
    certificate  BLOB   NOT NULL,
    private_key  BLOB   NOT NULL,
    created_at   BIGINT  NOT NULL
);
