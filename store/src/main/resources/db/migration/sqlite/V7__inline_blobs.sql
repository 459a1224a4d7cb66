-- Sealpost store schema, version 7 (SQLite dialect; keep in step with ../postgresql/V7__inline_blobs.sql).
-- Small message bodies live in the database (docs/adr/0004-small-messages-in-the-database.md):
--   blobs.id         lowercase hex SHA-256 of the original content, as for the file blobs (content-addressed,
--                    so a second copy of the same content is an INSERT ... ON CONFLICT DO NOTHING)
--   blobs.size       length of the original content in bytes
--   blobs.content    one format byte (0 raw, 1 zlib/deflate, as in the blob files) and the stored bytes
--   blobs.stored_at  epoch ms of the first insert (for a future collector)
-- Larger bodies stay files under blobs/; readers look in both places.
CREATE TABLE blobs (
    id         TEXT    PRIMARY KEY,
    size       BIGINT  NOT NULL,
    content    BLOB    NOT NULL,
    stored_at  BIGINT  NOT NULL
);
