/**
 * SMTP protocol pieces without I/O policy: the command parser ({@link dev.sealpost.smtp.proto.SmtpCommand}),
 * replies and their wire encoding ({@link dev.sealpost.smtp.proto.Reply},
 * {@link dev.sealpost.smtp.proto.Replies}), the bounded input reader
 * ({@link dev.sealpost.smtp.proto.SmtpInput}), the DATA reader with dot-unstuffing
 * ({@link dev.sealpost.smtp.proto.DataReader}) and xtext ({@link dev.sealpost.smtp.proto.Xtext}). The header
 * section bound of DATA and BDAT content is {@link dev.sealpost.core.io.HeaderGuard}, shared with IMAP APPEND.
 *
 * <h2>Security</h2>
 * Everything here parses untrusted network input. Every input is bounded: command lines (the
 * caller's limit; longer lines are skipped to their LF and reported, never held in memory),
 * paths (256 octets), ENVID (100), ORCPT (500), parameter count (16), BDAT sizes (18 digits),
 * the header section of a message (size and field count, streamed).
 * {@link dev.sealpost.smtp.proto.SmtpCommand#parse} is total: any byte sequence gives a parsed
 * command or a reply, never an exception (a randomized test feeds it garbage). Framing is never
 * lenient: only CRLF "." CRLF ends DATA, a bare CR or LF anywhere rejects the message after
 * draining to the real end (SMTP smuggling), and command lines must end in CRLF. Reply text is
 * stripped of control characters so a handler's text cannot inject reply lines. Nothing here
 * opens sockets, files or does DNS look-ups (address literals are parsed with
 * {@code Inet6Address.ofLiteral}, which never resolves).
 *
 * <h2>Standards</h2>
 * RFC 5321 (commands, paths, replies, DATA, limits), RFC 1870 (SIZE), RFC 2034 / RFC 3463
 * (enhanced status codes), RFC 2920 (PIPELINING), RFC 3030 (CHUNKING, BINARYMIME), RFC 3461
 * (DSN parameters, xtext), RFC 4954 (AUTH), RFC 6152 (8BITMIME), RFC 6531 (SMTPUTF8),
 * RFC 8689 (REQUIRETLS), RFC 5322 §2.1-2.2 (where the header section ends, what a field is).
 *
 * <h2>Leniency (decided, not accidental)</h2>
 * Spaces between {@code FROM:}/{@code TO:} and the path are accepted; any visible token is
 * accepted as the EHLO/HELO name (policy belongs to the handler); source routes are accepted
 * and dropped (RFC 5321 Appendix C). Nothing else is.
 *
 * <h2>Configuration</h2>
 * None here: limits are passed in by the session engine
 * ({@link dev.sealpost.smtp.server.SmtpServerConfig.Limits}).
 */
package dev.sealpost.smtp.proto;
