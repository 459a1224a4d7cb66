/**
 * The IMAP4rev2 server (RFC 9051; IMAP4rev1 clients of RFC 3501 are served too): the listener
 * ({@link dev.sealpost.imap.server.ImapServer}, one virtual thread per connection, blocking I/O)
 * and the session state machine (not authenticated, authenticated, selected, logout) over the
 * store's {@link dev.sealpost.store.Mailboxes}.
 *
 * <h2>Layout</h2>
 * As Dovecot's {@code imap-commands.c} and {@code cmd-*.c}: a command is found in the file named
 * after it. {@code CommandTable} lists every command as a {@code CommandSpec}: the states it is
 * valid in, whether it has a UID form, whether it uses sequence numbers (then no EXPUNGE is sent
 * while its non-UID form runs, RFC 9051 §7.5.1; {@code CommandTableTest} holds the table to the
 * RFC), and its handler. The handlers live in command families, each a {@code CommandFamily}
 * (the shared context: session state through accessors, {@code ImapOutput}, the
 * {@code MailboxResolver} for names and ACL rights, the selected view's updates in
 * {@code SelectedSync}): {@code AnyStateCommands} (CAPABILITY, NOOP, LOGOUT, ID),
 * {@code SelectCommands} (ENABLE, SELECT, EXAMINE, CLOSE, UNSELECT, CHECK, the QRESYNC replay),
 * {@code MailboxCommands} (CREATE, DELETE, RENAME, (UN)SUBSCRIBE), {@code ListCommands} (LIST,
 * LSUB, NAMESPACE), {@code StatusCommand}, {@code AppendCommand} (with CATENATE; its URLs are
 * parsed by {@code dev.sealpost.imap.proto.ImapUrl}), {@code IdleCommand}, {@code QuotaCommands},
 * {@code MetadataCommands}, {@code AclCommands}, {@code MessageCommands} (EXPUNGE, STORE, COPY,
 * MOVE), {@code FetchCommand}, {@code SearchCommands} (SEARCH, SORT, THREAD, CANCELUPDATE and the
 * RFC 5267 contexts) and {@code Notifier} (NOTIFY and its thread). A handler returns the text of
 * its tagged OK (or null when it answered itself) and fails with the stackless
 * {@code CommandFailed} (NO or BAD). {@code ImapSession} keeps the connection (run loop, command
 * reader, STARTTLS, COMPRESS), LOGIN and AUTHENTICATE, CAPABILITY, the session state, and
 * {@code execute}: look-up, state and UID checks, the handler, then the sync of the selected
 * mailbox and the tagged response.
 *
 * <h2>Purpose</h2>
 * Reads commands with {@link dev.sealpost.imap.proto.CommandReader}, executes them against the
 * store, renders FETCH data with {@code dev.sealpost.imap.fetch} and evaluates SEARCH, SORT and
 * THREAD with {@code dev.sealpost.imap.search}. Each session keeps its own list of UIDs for the
 * selected mailbox and learns of other sessions' and deliveries' changes through
 * {@link dev.sealpost.store.Mailboxes#changes}; EXPUNGE (or VANISHED) responses are held back
 * during FETCH, STORE, SEARCH, SORT, THREAD and COPY by sequence number (RFC 9051 §7.5.1), so
 * sequence numbers never race. That view is a {@code SelectedMailbox}, which also owns the
 * keywords the client was told about: a keyword new to the view (from another session, a delivery
 * or this session's own STORE) is announced with FLAGS and PERMANENTFLAGS before the first FETCH
 * that carries it, unsolicited or not, in IDLE and NOTIFY too (RFC 9051 §7.3.5). IDLE is woken by {@link dev.sealpost.store.Mailboxes#onChange} and
 * also polls (changes made by other nodes).
 * IMAP4rev1 {@code \Recent} (RFC 3501 §2.3.2) is kept by {@code RecentTracker}: per mailbox, in
 * memory for the life of the process (not persisted; after a restart every message counts as
 * recent once more), the first read-write session to see a message claims it; EXAMINE only looks.
 * Searches with {@code RETURN (UPDATE)} (RFC 5267 CONTEXT=SEARCH / CONTEXT=SORT) are re-run after
 * each command when the selected mailbox changed (at most 8 per session), and the differences sent
 * as {@code ESEARCH ... ADDTO / REMOVEFROM}. APPEND with CATENATE (RFC 4469) resolves only relative
 * IMAP URLs into mailboxes the user can read on this server.
 *
 * <h2>Security</h2>
 * Parses untrusted input from the network. Before TLS no login of any kind is offered or
 * accepted: LOGINDISABLED and no {@code AUTH=} in the capabilities, LOGIN and AUTHENTICATE (SCRAM
 * included) answered {@code NO [PRIVACYREQUIRED]}, unless {@code allowAuthWithoutTls}
 * ({@code core.login.LoginPolicy}); input pipelined after STARTTLS is dropped with the old
 * command reader (STARTTLS injection). TLS (versions, suites, ALPN "imap", the handshake) is
 * {@link dev.sealpost.core.tls.ServerTls}'s. AUTHENTICATE runs {@code core.sasl.SaslDialog}; logins go
 * through the shared {@code core.login.LoginGate} (delay, then block, and one log line per
 * attempt with mechanism, claimed user, IP and reason); unknown user and wrong password get the
 * same reply. Bounds: command line, literal size (8 KiB
 * before authentication; a larger non-synchronizing literal is read and discarded up to 64 KiB,
 * beyond that the session ends, RFC 7888 §4), APPEND size (APPENDLIMIT), an APPENDed message's header
 * section (octets and fields, {@code NO [TOOBIG]} / {@code NO [LIMIT]}), mailboxes per account
 * ({@code NO [LIMIT]} at CREATE), list nesting, arguments, BAD commands before
 * BYE, connections per IP address, per IP per minute and in all (checked by core's
 * {@link dev.sealpost.core.net.TcpListener} before a session exists; {@code * BYE [UNAVAILABLE]},
 * RFC 5530, then close; nothing on IMAPS) and sessions per account ({@code [LIMIT]}), idle timeouts (60 s
 * before login, 30 min after: RFC 9051 §5.4). Another account's mailboxes are reachable only
 * through ACL rights (RFC 4314), under the "Other Users/&lt;address&gt;/" namespace, and only the
 * rights granted apply (a mailbox without "l" or "r" is reported as non-existent). Logs carry a
 * session id and never passwords, SASL payloads or message content.
 *
 * <h2>Standards</h2>
 * RFC 9051 and RFC 3501 (IMAP4rev2 / rev1), RFC 2177 IDLE, RFC 2342 NAMESPACE, RFC 2971 ID,
 * RFC 3502 MULTIAPPEND, RFC 3516 BINARY (via fetch), RFC 4314 ACL, RFC 4315 UIDPLUS, RFC 4731
 * ESEARCH, RFC 4959 SASL-IR, RFC 4978 COMPRESS=DEFLATE, RFC 5161 ENABLE, RFC 5182 SEARCHRES,
 * RFC 5256 SORT / THREAD, RFC 5258 LIST-EXTENDED, RFC 5267 ESORT, CONTEXT=SEARCH and CONTEXT=SORT,
 * RFC 4469 CATENATE, RFC 5465 NOTIFY, RFC 5464 METADATA, RFC 5819
 * LIST-STATUS, RFC 6154 SPECIAL-USE and CREATE-SPECIAL-USE, RFC 6851 MOVE, RFC 6855 UTF8=ACCEPT,
 * RFC 7162 CONDSTORE / QRESYNC, RFC 7888 LITERAL+, RFC 7889 APPENDLIMIT, RFC 8437 UNAUTHENTICATE,
 * RFC 8438 STATUS=SIZE, RFC 9208 QUOTA (STORAGE), RFC 9266 tls-exporter channel binding for
 * SCRAM-SHA-256-PLUS. Not implemented: URLAUTH (RFC 4467), SETQUOTA.
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.imap.server.ImapServerConfig}: bind address, implicit TLS or STARTTLS with an
 * {@link dev.sealpost.core.tls.ServerTls} (any profile but legacy), plaintext authentication without TLS (default off), host name,
 * {@link dev.sealpost.imap.server.ImapServerConfig.Limits}, and
 * {@link dev.sealpost.core.net.ConnectionLimits} (defaults there: 50 per IP, no rate, 5,000 in all;
 * TOML {@code [imap]} max_connections_per_ip, connection_rate_per_ip, max_connections, exempt_networks).
 */
package dev.sealpost.imap.server;
