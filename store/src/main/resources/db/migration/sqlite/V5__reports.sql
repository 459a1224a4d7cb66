-- Sealpost store schema, version 5 (SQLite dialect; keep in step with ../postgresql/V5__reports.sql).
-- Reports: what the MX saw for DMARC aggregate reports (RFC 7489 §7.2), the reports others sent
-- us (DMARC aggregate, SMTP TLS reports RFC 8460), and which daily report runs are done.
--
-- dmarc_observations: one row per (UTC day, identical evaluation); message_count counts the
-- messages. obs_key is the SHA-256 (hex) of every identifying column, so that rows aggregate by
-- an upsert without a 20-column unique index (NULLs are distinct in UNIQUE constraints, and long
-- values would exceed PostgreSQL's index entry size). dkim_domain, dkim_selector and dkim_result
-- are parallel space-separated lists, one entry per DKIM signature ("-" for an empty value).
CREATE TABLE dmarc_observations (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    day                TEXT    NOT NULL,
    obs_key            TEXT    NOT NULL,
    policy_domain      TEXT    NOT NULL,
    source_ip          TEXT    NOT NULL,
    header_from        TEXT    NOT NULL,
    envelope_from      TEXT,
    spf_domain         TEXT,
    spf_scope          TEXT,
    spf_result         TEXT,
    dkim_domain        TEXT,
    dkim_selector      TEXT,
    dkim_result        TEXT,
    disposition        TEXT    NOT NULL,
    override_reason    TEXT,
    dmarc_spf_aligned  INTEGER NOT NULL,
    dmarc_dkim_aligned INTEGER NOT NULL,
    adkim              TEXT,
    aspf               TEXT,
    p                  TEXT,
    sp                 TEXT,
    np                 TEXT,
    pct                INTEGER,
    fo                 TEXT,
    message_count      BIGINT  NOT NULL DEFAULT 1,
    UNIQUE (day, obs_key)
);
CREATE INDEX dmarc_observations_domain ON dmarc_observations(day, policy_domain);

-- received_reports: reports sent to our report mailboxes, deduplicated by (kind, org, report id).
-- content is the report itself (DMARC XML or TLS-RPT JSON, decompressed).
CREATE TABLE received_reports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT    NOT NULL CHECK (kind IN ('dmarc', 'tlsrpt')),
    org_name       TEXT    NOT NULL,
    report_id      TEXT    NOT NULL,
    domain         TEXT,
    begin_at       BIGINT  NOT NULL,
    end_at         BIGINT  NOT NULL,
    received_at    BIGINT  NOT NULL,
    message_count  BIGINT  NOT NULL DEFAULT 0,
    failure_count  BIGINT  NOT NULL DEFAULT 0,
    content        TEXT    NOT NULL,
    UNIQUE (kind, org_name, report_id)
);
CREATE INDEX received_reports_received ON received_reports(received_at);

-- report_runs: a daily report of a kind ('dmarc', 'tlsrpt') that was sent (idempotent across restarts).
CREATE TABLE report_runs (
    kind     TEXT   NOT NULL,
    day      TEXT   NOT NULL,
    sent_at  BIGINT NOT NULL,
    PRIMARY KEY (kind, day)
);
