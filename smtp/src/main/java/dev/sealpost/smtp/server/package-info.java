/**
 * The SMTP server engine: {@link dev.sealpost.smtp.server.SmtpServer} listens and runs one
 * session per connection on a virtual thread with blocking I/O; the session handles framing,
 * syntax, extensions, STARTTLS / implicit TLS, AUTH and limits, and asks an
 * {@link dev.sealpost.smtp.server.SmtpHandler} (made per connection by a
 * {@link dev.sealpost.smtp.server.SmtpHandlerFactory}) for every policy decision.
 *
 * <h2>Security</h2>
 * Faces the Internet (MX, port 25) and clients (submission, 587/465). It parses untrusted input
 * only through {@code dev.sealpost.smtp.proto}; it reaches nothing but its sockets, the
 * handler and the shared {@code core.login.LoginGate}. Points worth knowing:
 * <ul>
 *   <li>STARTTLS discards any input buffered after the command (CVE-2011-0411) and forgets EHLO,
 *       AUTH and the transaction (RFC 3207 §4.2). The handshake, protocol versions and cipher
 *       suites are {@link dev.sealpost.core.tls.ServerTls}'s: TLS 1.2 and 1.3, AEAD suites (the
 *       legacy profile, ECDHE with AES-CBC too, only on the MX listener).</li>
 *   <li>AUTH is never offered on MX; on submission no mechanism at all is listed or accepted
 *       before TLS (538 5.7.11) unless {@code allowAuthWithoutTls}
 *       ({@code core.login.LoginPolicy}); -PLUS mechanisms only where RFC 9266 tls-exporter
 *       binding is available (TLS 1.3), and listed only when the mechanism set says so. The
 *       dialogue is {@code core.sasl.SaslDialog}; failures are delayed by the
 *       {@code LoginGate} and logged there on one line (proto, mechanism, claimed user, IP,
 *       reason); AUTH payloads and passwords are never logged.</li>
 *   <li>DATA: only CRLF.CRLF ends it; bare CR/LF rejects the message (550 5.6.0) after reading to
 *       the real end, so smuggled commands are never executed. BDAT chunks are consumed even
 *       when refused, to keep the stream in sync.</li>
 *   <li>Connections per IP address, per IP per minute and in all are checked by core's
 *       {@link dev.sealpost.core.net.TcpListener} before a session exists: {@code 421 4.7.0}
 *       ({@code 4.3.2} when the listener is full) instead of the greeting, then close; nothing
 *       on 465 (implicit TLS). Postfix's anvil defaults: 50 per IP, no rate limit.</li>
 *   <li>Limits: line length (500 5.5.2), message size (552 5.3.4, announced with SIZE),
 *       recipients (452 4.5.3), permanent errors (421 4.7.0 and close), idle and data timeouts
 *       (421 4.4.2 and close).</li>
 *   <li>Replies are buffered and flushed before each blocking read (RFC 2920 PIPELINING).</li>
 * </ul>
 * Log lines carry the session id; they record connects, EHLO, TLS, AUTH results (user name
 * only), MAIL/RCPT results, message outcome and size, and disconnects, never message content.
 *
 * <h2>Standards</h2>
 * RFC 5321, RFC 1870, RFC 2034, RFC 2920, RFC 3030, RFC 3207, RFC 3461, RFC 4954, RFC 6152,
 * RFC 6409, RFC 6531, RFC 8314, RFC 8689, RFC 9266.
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.smtp.server.SmtpServerConfig} per listener: server name, kind (MX,
 * SUBMISSION, SUBMISSIONS), bind address, TLS kit ({@code ServerTls}: context and profile; the
 * {@code mx}/{@code submission} factories take an SSLContext and use intermediate), SASL mechanisms, allowAuthWithoutTls,
 * authRequired, and {@link dev.sealpost.smtp.server.SmtpServerConfig.Limits} (defaults: 4096-octet
 * lines, 35 MiB messages, 100 recipients, 10 errors, 5 min idle, 10 min data), and
 * {@link dev.sealpost.core.net.ConnectionLimits} (TOML {@code [smtp]} max_connections_per_ip,
 * connection_rate_per_ip, max_connections, exempt_networks; each listener counts on its own).
 */
package dev.sealpost.smtp.server;
