/**
 * The POP3 server: {@link dev.sealpost.pop3.Pop3Server} listens and runs one session per
 * connection on a virtual thread with blocking I/O, over each account's INBOX in the store.
 *
 * <h2>Purpose</h2>
 * Lets POP3 clients download (and delete) the mail in INBOX. At login a session locks the
 * account's maildrop and takes a snapshot of INBOX: message numbers and sizes stay fixed for the
 * session (RFC 1939 §5) whatever IMAP or delivery do meanwhile. DELE only marks; the marked
 * messages are dealt with when QUIT arrives in the TRANSACTION state (RFC 1939 §6), never on a
 * dropped connection, an idle timeout or a server shutdown. What "dealt with" means is the
 * account's {@link dev.sealpost.pop3.Pop3Mode}: {@code delete} (the RFC behaviour, the default:
 * set {@code \Deleted} on exactly those UIDs and expunge only them) or {@code keep} (leave mail on
 * the server: add {@code \Seen} and the keyword {@code $POP3Deleted}; POP3 hides such messages
 * from then on, IMAP still sees them). UIDL ids are {@code UIDVALIDITY.UID}, stable across
 * sessions. Messages that IMAP flagged {@code \Deleted} but did not expunge are still listed
 * (they are in INBOX), and a POP3 QUIT never expunges them: only the UIDs the POP3 client marked.
 * If INBOX's UIDVALIDITY changed during the session, QUIT touches nothing and answers
 * {@code -ERR [SYS/TEMP]}.
 *
 * <h2>Security</h2>
 * Faces clients on the Internet (110 with STLS, 995 with implicit TLS); parses untrusted input
 * only through {@code dev.sealpost.pop3.proto}. Reaches the store's directory (login), the
 * account's INBOX (read, flags, expunge), its metadata entry (mode) and the blob store (content).
 * <ul>
 *   <li>USER/PASS and AUTH (every mechanism, SCRAM included) only over TLS unless
 *       {@code allowAuthWithoutTls} ({@code core.login.LoginPolicy}; RFC 8314 §3, RFC 2595 §2.1);
 *       without TLS neither USER nor SASL is announced in CAPA. SCRAM-SHA-256-PLUS only where
 *       tls-exporter binding exists (TLS 1.3). AUTH runs {@code core.sasl.SaslDialog}; every
 *       attempt is logged by {@code core.login.LoginGate} on one line (mechanism, claimed user,
 *       IP, reason).</li>
 *   <li>No user enumeration: USER always answers +OK; an unknown user and a wrong password get
 *       the same {@code -ERR [AUTH] Authentication failed} after the same work (the directory
 *       hashes a decoy password). Failed logins are slowed and finally blocked by core's
 *       {@link dev.sealpost.core.auth.LoginThrottle} ({@code -ERR [SYS/TEMP]}); a login with a
 *       locked maildrop gets {@code -ERR [IN-USE]}.</li>
 *   <li>STLS discards any input pipelined after the command (RFC 2595 §4, the CVE-2011-0411
 *       class) and forgets a USER given before it. TLS (versions, AEAD suites, ALPN "pop3", the
 *       handshake) is {@link dev.sealpost.core.tls.ServerTls}'s.</li>
 *   <li>Connections per IP address, per IP per minute and in all, checked by core's
 *       {@link dev.sealpost.core.net.TcpListener} before a session exists: {@code -ERR [SYS/TEMP]}
 *       (RFC 3206 §4) instead of the greeting, then close; nothing on POP3S.</li>
 *   <li>Limits: command line length (AUTH lines up to 12288 octets), bad commands (then
 *       {@code -ERR} and close), SASL rounds, idle time (RFC 1939 §3 autologout, at least
 *       10 minutes: close without UPDATE).</li>
 *   <li>Logs: one line per event with the session id (connect, TLS, login result with the account
 *       name on success only, maildrop lock conflicts, QUIT outcome, disconnect); never passwords,
 *       SASL payloads or message content.</li>
 * </ul>
 *
 * <h3>Maildrop lock and several nodes</h3>
 * The exclusive-access lock (RFC 1939 §4) is held in this process only ({@code MaildropLocks},
 * keyed by store and account id, shared by all POP3 listeners of the process). A deployment with
 * several nodes on one PostgreSQL store would need the lock in the database instead: e.g. a
 * {@code pop3_locks(account_id primary key, node, session, expires_at)} row taken with an insert
 * (or {@code pg_try_advisory_lock(account_id)} on a session-bound connection), renewed while the
 * session lives and expiring after the idle timeout so that a crashed node does not lock an
 * account out for ever.
 *
 * <h2>Standards</h2>
 * RFC 1939 (POP3), RFC 2449 (CAPA, RESP-CODES, PIPELINING, IMPLEMENTATION; IN-USE code),
 * RFC 2595 §4 (STLS), RFC 5034 (SASL AUTH, with initial response), RFC 3206 (SYS/TEMP, SYS/PERM,
 * AUTH codes, AUTH-RESP-CODE), RFC 8314 (implicit TLS), RFC 4616 (PLAIN), RFC 5802 and RFC 7677
 * (SCRAM-SHA-256), RFC 9266 (tls-exporter). Not done: APOP (MD5, needs plaintext passwords stored),
 * LOGIN-DELAY and EXPIRE announcements, RFC 6856 UTF8/LANG.
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.pop3.Pop3ServerConfig} per listener: bind address, implicitTls, TLS kit
 * ({@code ServerTls}, any profile but legacy), allowAuthWithoutTls (default false), hostname, idle timeout (default and
 * minimum 10 min), max line length (default 1024), max bad commands (default 10), connection
 * limits ({@link dev.sealpost.core.net.ConnectionLimits}; TOML {@code [pop3]} max_connections_per_ip,
 * connection_rate_per_ip, max_connections, exempt_networks). Per account,
 * the metadata entry {@value dev.sealpost.pop3.Pop3Mode#METADATA_ENTRY} = {@code keep} or
 * {@code delete} (absent: delete), set with {@link dev.sealpost.pop3.Pop3Mode#set}.
 */
package dev.sealpost.pop3;
