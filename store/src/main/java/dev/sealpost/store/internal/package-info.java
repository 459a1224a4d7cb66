/**
 * Implementation of the store: JDBC (no ORM) over SQLite or PostgreSQL, and a file-system blob
 * store. Not API: other modules use {@code dev.sealpost.store} only.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.store.internal.GroupCommitWriter} owns the one write connection and batches
 * concurrent writes into one transaction (each unit in a savepoint, so one failing unit does not
 * sink the others; a caller that finds it idle runs its unit itself, under the same lock), with
 * its statements prepared once ({@link dev.sealpost.store.internal.StatementCache});
 * {@link dev.sealpost.store.internal.WalCheckpointer} copies SQLite's WAL into the database file
 * on a thread of its own (docs/adr/0005); {@link dev.sealpost.store.internal.Database} hands out read connections (one
 * snapshot per read); {@link dev.sealpost.store.internal.Migrator} applies the versioned schema
 * from {@code db/migration/<dialect>/} and records it in {@code schema_version};
 * {@link dev.sealpost.store.internal.FsBlobStore} keeps content-addressed blobs in
 * {@code blobs/ab/<sha256>} with a one-byte format header (raw or zlib-deflated);
 * {@link dev.sealpost.store.internal.TieredBlobStore} puts content up to its inline limit into the
 * {@code blobs} table instead (same id, same stored form), inserted with
 * {@code ON CONFLICT DO NOTHING} (dedup) either in a commit of its own or in the spool's
 * transaction, and reads a file first, then a row.
 * Exactly-once local delivery rests on the {@code deliveries} primary key
 * (queue message, account), inserted with {@code ON CONFLICT DO NOTHING} in the same transaction
 * as the copy.
 *
 * <h2>Security</h2>
 * All SQL uses bound parameters. Blob paths are built only from validated hex ids; temp files
 * use names we generate. SQLite read connections are {@code query_only}.
 *
 * <h2>Failure</h2>
 * sqlite-jdbc finalizes a statement whose step fails with anything but BUSY/LOCKED/CONSTRAINT
 * (e.g. SQLITE_FULL, SQLITE_IOERR); such a statement must never be reused. {@code Sql} therefore
 * discards (evicts from the {@link dev.sealpost.store.internal.StatementCache} and closes) a
 * statement whose use failed, adding a close failure to the original as suppressed; the
 * {@link dev.sealpost.store.internal.GroupCommitWriter} also drops the whole cache after a failed
 * unit or batch, rolls back (marking the connection suspect, checked before the next batch), and
 * when a savepoint can no longer be rolled back to (SQLite rolled the whole transaction back)
 * fails every unit of that batch with the failing unit's cause. A full disk is logged as one WARN
 * line, other batch failures as ERROR with the stack. The {@code WalCheckpointer} only logs a
 * failed checkpoint (WARN) and tries again on its next round: under ENOSPC the WAL stays as it
 * is, SQLite's own recovery keeps it consistent, and a later TRUNCATE checkpoint shrinks it.
 *
 * <h2>Standards</h2>
 * As for the API package. UID and MODSEQ assignment (RFC 9051 §2.3.1.1, RFC 7162 §3.1) is in
 * {@code JdbcSpool.storeCopy} (delivery) and {@code JdbcMailboxes} (append, copy, move, store,
 * expunge: one new MODSEQ per change, given to every message it touches; expunged UIDs kept in
 * {@code expunged} for VANISHED); UIDVALIDITY in {@code JdbcMailboxes.insertMailbox} (store-wide
 * counter, above every value the account's mailboxes had); EMAILID / THREADID (RFC 8474) and
 * SAVEDATE (RFC 8514) in {@code JdbcMailboxes.insertMessage}. Mailbox change listeners
 * ({@code MailboxEvents}) run after the writer's commit, on the thread that waited for it.
 *
 * <h2>Configuration</h2>
 * SQLite pragmas on every connection: {@code journal_mode=WAL}, {@code synchronous=FULL},
 * {@code foreign_keys=ON}, {@code busy_timeout=5000}. PostgreSQL: HikariCP read pool of 8
 * (REPEATABLE READ, read-only), one writer connection with {@code synchronous_commit=on}.
 * Compression: blobs over 1 KiB are deflated (level 1) when that saves at least 10%, files and
 * database rows alike. Inline limit: {@code TieredBlobStore.DEFAULT_INLINE_LIMIT} (256 KiB), system
 * property {@code sealpost.store.inline-limit}.
 */
package dev.sealpost.store.internal;
