/**
 * The ManageSieve server (RFC 5804): {@link dev.sealpost.managesieve.ManageSieveServer} listens
 * (port 4190) and runs one session per connection on a virtual thread with blocking I/O, over each
 * account's Sieve scripts in the store ({@link dev.sealpost.store.SieveScripts}).
 *
 * <h2>Purpose</h2>
 * Lets mail clients (Thunderbird's sieve add-on, Roundcube, K-9, sieve-connect) upload, list,
 * activate, download, rename, delete and check the user's Sieve scripts. A script is compiled with
 * the sieve module's language before it is stored (PUTSCRIPT, CHECKSCRIPT) and before it is
 * activated (SETACTIVE); errors come back in the NO response with their line ("line 3: ...";
 * the sieve compiler reports no column). Local delivery runs the active script.
 *
 * <h2>Security</h2>
 * Faces clients on the Internet; parses untrusted input only through
 * {@code dev.sealpost.managesieve.proto} (bounded lines, strings and literals, fuzzed). Reaches the
 * store's directory (login) and the logged-in account's scripts only; the sieve compiler (no I/O).
 * <ul>
 *   <li>AUTHENTICATE (PLAIN, SCRAM-SHA-256, SCRAM-SHA-256-PLUS with tls-exporter binding) only
 *       over TLS unless {@code allowAuthWithoutTls} ({@code core.login.LoginPolicy}; RFC 5804 §2.1
 *       ENCRYPT-NEEDED otherwise); before TLS the SASL capability is empty. The exchange is
 *       {@code core.sasl.SaslDialog}'s; each attempt is logged and throttled by
 *       {@code core.login.LoginGate} (TRYLATER when blocked). One text for an unknown user and a
 *       wrong password.</li>
 *   <li>STARTTLS ({@code core.tls.ServerTls}, ALPN "managesieve") drops input pipelined after the
 *       command; the capabilities are sent again after the handshake (RFC 5804 §2.2).</li>
 *   <li>Connection limits per IP, per IP per minute and in all ({@code core.net.TcpListener}):
 *       {@code BYE (TRYLATER)} instead of the greeting. A per-command deadline
 *       ({@code core.io.CommandDeadline}) bounds slow senders; an idle timeout ends quiet sessions;
 *       too many bad commands end with BYE.</li>
 *   <li>Quotas: scripts per account and octets per script, checked by the store in the writing
 *       transaction (QUOTA/MAXSCRIPTS, QUOTA/MAXSIZE); a literal over the size quota is skipped
 *       unread.</li>
 *   <li>Logs: one line per event with the session id; never passwords, SASL payloads or script text.</li>
 * </ul>
 *
 * <h2>Standards</h2>
 * RFC 5804 (ManageSieve: every command of the base protocol, response codes NONEXISTENT,
 * ALREADYEXISTS, ACTIVE, QUOTA/MAXSCRIPTS, QUOTA/MAXSIZE, TRYLATER, ENCRYPT-NEEDED, TAG, SASL),
 * RFC 4616 (PLAIN), RFC 5802 and RFC 7677 (SCRAM-SHA-256), RFC 9266 (tls-exporter), RFC 7301
 * (ALPN). Not done: the SIEVE extension list names only what the sieve module compiles; the
 * WARNINGS code (the compiler has no warnings); NOTIFY and LANGUAGE capabilities; SASL security
 * layers (none of our mechanisms has one).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.managesieve.ManageSieveConfig}: bind address (TOML {@code managesieve.listen},
 * default {@code 0.0.0.0:4190}), TLS kit, {@code managesieve.allow_plaintext_auth}, hostname, idle
 * timeout, bad commands, the quota ({@code managesieve.max_scripts}, {@code managesieve.max_script_size}),
 * connection limits ({@code managesieve.max_connections_per_ip}, {@code connection_rate_per_ip},
 * {@code max_connections}, {@code exempt_networks}) and {@code managesieve.command_deadline_seconds}.
 */
package dev.sealpost.managesieve;
