-- Sealpost store schema, version 15 (sqlite dialect; keep in step with ../postgresql/V15__secure_policies.sql).
-- Message-security policy (issue 13, docs/keys.md "Policy"): one row per scope, a local or remote
-- mail address or a domain (lower case). The sender's row (address, then domain) gives sign and
-- encrypt at submission; a recipient's row can raise encrypt; a local recipient's row gives
-- inbound (what local delivery does with encrypted mail). A scope without a row falls back to
-- its domain's row, then to the defaults: sign never, encrypt tagged, inbound keep.
CREATE TABLE secure_policies (
    scope       TEXT    PRIMARY KEY,
    sign        TEXT    CHECK (sign IN ('never', 'always')),
    encrypt     TEXT    CHECK (encrypt IN ('never', 'tagged', 'when-possible', 'required')),
    inbound     TEXT    CHECK (inbound IN ('keep', 'decrypt')),
    updated_at  BIGINT  NOT NULL
);
