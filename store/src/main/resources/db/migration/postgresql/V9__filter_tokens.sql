-- Sealpost store schema, version 8 (PostgreSQL dialect; keep in step with ../sqlite/V8__filter_tokens.sql).
-- The statistical spam classifier's model (filter module, dev.sealpost.filter.bayes), shared by
-- every node that uses this database.
--   scope        '' for the global model, 'a:<account>' for one account's overlay
--   token_hash   64-bit hash of one feature (a word or word pair), as the classifier computes it
--   spam, ham    in how many trained spam / ham messages of the scope the feature occurred
-- filter_scopes counts the trained messages per scope (the classifier's denominators).
-- Rows whose two counts fall to zero (after untraining) are deleted.
CREATE TABLE filter_tokens (
    scope       TEXT    NOT NULL,
    token_hash  BIGINT  NOT NULL,
    spam        INTEGER NOT NULL DEFAULT 0,
    ham         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, token_hash)
);

CREATE TABLE filter_scopes (
    scope          TEXT    PRIMARY KEY,
    spam_messages  BIGINT  NOT NULL DEFAULT 0,
    ham_messages   BIGINT  NOT NULL DEFAULT 0
);
