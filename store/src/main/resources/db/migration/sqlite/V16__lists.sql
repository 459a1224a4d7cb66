-- Sealpost store schema, version 16 (sqlite dialect; keep in step with ../postgresql/V16__lists.sql).
-- Distribution lists and groups (lists module, docs/lists.md; issue 18).
--   lists          one row per list: its posting address (canonical, lower case), a description,
--                  the posting policy (open, members, moderated, announce) and its settings as
--                  "key=value" lines (subject_prefix, from_rewrite, poster_in, nonmembers, ...)
--   list_members   the people of a list, one row per (list, role, address): role member, owner or
--                  moderator; delivery enabled or not (by bounces or the member), whether members get
--                  their own posts, and the bounce state (lists.moderation.BounceScorer.State)
--   list_pending   what waits for a confirmation: a subscription or unsubscription (double opt-in)
--                  and posts held for moderators (content kept here until decided or expired)
--   mail_groups    group addresses for local explosion at submission; mail_group_members their
--                  members (local accounts, aliases, other groups or remote addresses)
CREATE TABLE lists (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    address      TEXT    NOT NULL UNIQUE,
    description  TEXT    NOT NULL,
    posting      TEXT    NOT NULL,
    settings     TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE TABLE list_members (
    list_id         BIGINT  NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    role            TEXT    NOT NULL,
    address         TEXT    NOT NULL,
    enabled         INTEGER NOT NULL,
    own_posts       INTEGER NOT NULL,
    bounce_score    DOUBLE PRECISION NOT NULL,
    bounce_at       BIGINT,
    bounce_day      TEXT,
    bounce_day_weight DOUBLE PRECISION NOT NULL,
    bounce_status   TEXT    NOT NULL,
    warnings_sent   INTEGER NOT NULL,
    last_notice_at  BIGINT,
    added_at        BIGINT  NOT NULL,
    PRIMARY KEY (list_id, role, address)
);
CREATE TABLE list_pending (
    token       TEXT    NOT NULL PRIMARY KEY,
    list_id     BIGINT  NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    content     BLOB,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX list_pending_expires ON list_pending (expires_at);
CREATE TABLE mail_groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    address     TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);
CREATE TABLE mail_group_members (
    group_id    BIGINT  NOT NULL REFERENCES mail_groups(id) ON DELETE CASCADE,
    member      TEXT    NOT NULL,
    PRIMARY KEY (group_id, member)
);
