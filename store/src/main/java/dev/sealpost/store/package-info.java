/**
 * The storage layer's API: {@link dev.sealpost.store.Store} with its
 * {@link dev.sealpost.store.Directory} (domains, accounts, aliases, credentials),
 * {@link dev.sealpost.store.BlobStore} (message bodies), {@link dev.sealpost.store.Spool} (the
 * durable queue every accepted message enters first), {@link dev.sealpost.store.Mailboxes} and
 * {@link dev.sealpost.store.Reports} (DMARC observations for our aggregate reports, report runs,
 * and the DMARC / TLS-RPT reports others send us) and {@link dev.sealpost.store.SieveScripts}
 * (each account's Sieve scripts, one active, with count and size quotas: RFC 5804 via ManageSieve),
 * and {@link dev.sealpost.store.FilterTokens}
 * (the spam classifier's token counts, global and per account, shared by every node), and the
 * filter's {@link dev.sealpost.store.Quarantine} (held messages, migration V10), and
 * {@link dev.sealpost.store.Keys} (S/MIME and OpenPGP keys: own keys of accounts, others' keys
 * with their origin, domain CAs; docs/keys.md), and {@link dev.sealpost.store.MailingLists}
 * (distribution lists, their members by role, pending confirmations and held posts, and group
 * addresses, which the directory's alias expansion follows; migration V16, docs/lists.md).
 *
 * <h2>Purpose</h2>
 * One narrow API between the network-facing modules and the data. Writes are durable on return:
 * a blob is stored (a file fsync'd and renamed into place, or a committed database row for
 * content up to {@link dev.sealpost.store.BlobStore#inlineLimit()}) before {@code commit()}
 * returns, and a spool row is committed (SQLite {@code synchronous=FULL}) before {@code enqueue}
 * returns, so that "250" means stored. Concurrent writes are batched into one transaction by a
 * single writer (group commit). {@code Spool.enqueue(Envelope, BlobWriter, String, LocalFiling)}
 * puts a small message's blob row, its queue rows and the mailbox copies of its local recipients
 * into one of those transactions (docs/adr/0004-small-messages-in-the-database.md).
 *
 * <h2>Security</h2>
 * Parses no network input itself; callers pass parsed values ({@code EmailAddress}). Blob ids
 * are validated as 64 hex digits before they touch the file system (no path traversal). Passwords
 * are never stored: only a PBKDF2 hash and SCRAM-SHA-256 keys ({@code core.auth.PasswordHasher}).
 * Mailbox names, flags and metadata come from IMAP clients through {@link dev.sealpost.store.Mailboxes}:
 * names are checked (no control or wildcard characters, no empty level, at most 1000 chars and
 * 64 levels), flags must be IMAP atoms of at most 255 chars, and every value is a bound parameter.
 * Private keys ({@link dev.sealpost.store.Keys}) are sealed with AES-256-GCM under the
 * key-encryption key {@code <data-dir>/keys/kek} (32 random octets, mode 0600, created at first
 * use, refused when group or others can read it), which never enters the database; the key's
 * identity is in the associated data.
 * Reaches the data directory and the configured database only.
 *
 * <h2>Failure</h2>
 * A storage failure is a {@link dev.sealpost.store.StoreException} (unchecked; blob file writes
 * may also throw {@code IOException}): never the peer's fault, never a reason to end a session.
 * Its {@link dev.sealpost.store.StoreException#kind()} is {@code FULL} for no space left
 * (SQLITE_FULL, PostgreSQL {@code 53100 disk_full}, ENOSPC/EDQUOT on a blob file, also found by
 * {@link dev.sealpost.store.StoreException#kindOf(Throwable)} in a cause chain), else
 * {@code TEMPORARY}; callers answer with a temporary reply (SMTP 452 4.3.1 or 451 4.3.0, IMAP
 * {@code NO [UNAVAILABLE]}, POP3 {@code -ERR [SYS/TEMP]}) and go on. The original cause is kept;
 * follow-up failures (closing a statement) are only added as suppressed. A failed write leaves
 * nothing: its unit is rolled back (savepoint or transaction) and its blob temp file deleted;
 * the writer drops its cached statements after a failure, so the first unit after the space
 * returns succeeds (docs/reliability.md findings 1 and 2). A large blob file committed just before
 * a spool transaction that then failed stays as an unreferenced file (content-addressed and
 * possibly shared, so it is not deleted on the spot); a retry of the same message reuses it.
 *
 * <h2>Standards</h2>
 * RFC 3501 / RFC 9051 §2.3.1 (UID, UIDVALIDITY), §5.1 (mailbox names), §6.3 (mailbox operations),
 * RFC 7162 (MODSEQ, VANISHED), RFC 6154 (special-use mailboxes), RFC 4315 (UIDPLUS), RFC 6851
 * (MOVE), RFC 8474 (EMAILID, THREADID), RFC 8514 (SAVEDATE), RFC 4314 (ACL), RFC 5464 (METADATA),
 * RFC 9208 (QUOTA: over-quota results),
 * RFC 5233 (subaddress {@code user+tag}), RFC 3461 (DSN envelope fields kept in the spool),
 * RFC 5802 / RFC 7677 (SCRAM credentials).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.store.StoreConfig}: {@code store.data-dir}, {@code store.jdbc-url} (empty
 * for SQLite in the data directory, or {@code jdbc:postgresql:...}), {@code store.db-user},
 * {@code store.db-password}. Blobs larger than the inline limit are in {@code <data-dir>/blobs/},
 * smaller ones in the database's {@code blobs} table; the limit is 256 KiB, set with the JVM system
 * property {@code sealpost.store.inline-limit} (bytes, 0 to 1 MiB; 0 keeps every blob in a file).
 * The key-encryption key is always {@code <data-dir>/keys/kek} (no setting; back it up apart from
 * the database, docs/keys.md).
 */
package dev.sealpost.store;
