-- Sealpost store schema, version 11 (PostgreSQL dialect; keep in step with ../sqlite/V11__greylist.sql).
-- Greylisting state (filter module, dev.sealpost.filter.net.Greylister), shared by every node that
-- uses this database. One row per triplet:
--   network      the client's network as text: an IPv4 /24 ("192.0.2.0/24") or an IPv6 /64
--   sender       the envelope sender, lower-cased ('' for the null reverse-path)
--   recipient    the envelope recipient, lower-cased
--   first_seen   when the triplet was first tempfailed (epoch milliseconds)
--   passed_at    when a retry after the delay was accepted (NULL while still pending)
--   expires_at   when the row may be forgotten (pending rows soon; passed rows 36 days after the last pass)
--   attempts     how many times the triplet was seen
CREATE TABLE greylist (
    network     TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    recipient   TEXT    NOT NULL,
    first_seen  BIGINT  NOT NULL,
    passed_at   BIGINT,
    expires_at  BIGINT  NOT NULL,
    attempts    BIGINT  NOT NULL DEFAULT 1,
    PRIMARY KEY (network, sender, recipient)
);
CREATE INDEX greylist_expires ON greylist(expires_at);
