/**
 * The SMTP client (RFC 5321) for the outbound queue and smarthost relay:
 * {@link dev.sealpost.smtp.client.SmtpClient#connect} gives an
 * {@link dev.sealpost.smtp.client.SmtpConnection} that speaks EHLO (HELO fallback), STARTTLS,
 * AUTH (PLAIN, LOGIN, SCRAM-SHA-256) and sends messages with MAIL/RCPT/DATA or BDAT, pipelined
 * when offered, returning a {@link dev.sealpost.smtp.client.DeliveryResult} with one
 * {@link dev.sealpost.smtp.client.RecipientResult} per recipient. Blocking I/O, for virtual threads.
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Outcomes: 2xx ACCEPTED, 4xx TEMPFAIL (retry), 5xx PERMFAIL (bounce); a 552 to RCPT is
 *       temporary (RFC 5321 §4.5.3.1.10). A connection lost or timed out after the end of data
 *       and before the reply is TEMPFAIL with {@code possiblyDelivered} (RFC 5321 §6.1).</li>
 *   <li>Requirements checked before anything is sent, with a reply made by the client
 *       ({@code fromPeer == false}): REQUIRETLS needs authenticated TLS (PKIX, or the caller's
 *       DANE trust manager) and REQUIRETLS offered, else 5.7.30 (RFC 8689 §4.2.1, §5); SMTPUTF8
 *       needed (UTF-8 in the envelope, or in the headers of a message flagged SMTPUTF8) and not
 *       offered: 5.6.7 (RFC 6531 §3.2); SIZE over the announced maximum: 5.3.4 (RFC 1870);
 *       8-bit body and no 8BITMIME: converted to 7 bit (quoted-printable / base64, RFC 6152 §3,
 *       RFC 2045) or 5.6.3 when that is not possible; BINARYMIME without CHUNKING+BINARYMIME: 5.6.3.</li>
 *   <li>DSN parameters (RET, ENVID, NOTIFY, ORCPT) are passed on only when the server offers DSN
 *       (RFC 3461 §4); the caller sees {@code capabilities().dsn()} and generates "relayed" DSNs
 *       itself (RFC 3461 §5.2.2).</li>
 *   <li>TLS: the caller's socket factory decides the handshake (trust-all for opportunistic TLS,
 *       a DANE trust manager later from {@code tlspolicy}); a PKIX check plus RFC 6125 name match is
 *       always run afterwards and recorded in {@link dev.sealpost.smtp.client.TlsOutcome},
 *       enforced only with {@link dev.sealpost.smtp.client.TlsRequirement#PKIX} (MTA-STS, smarthost).</li>
 * </ul>
 *
 * <h2>Security</h2>
 * Reads untrusted input from remote servers: replies are parsed by
 * {@link dev.sealpost.smtp.proto.ReplyReader} with bounded line length and line count, and reply
 * text is stripped of control characters before it reaches logs and DSNs. Every read has a
 * timeout and every write a watchdog, so a stalled server cannot hold a thread for longer than
 * the configured limits. Data after the 220 to STARTTLS closes the connection (response
 * injection). Credentials are only sent over TLS unless configured otherwise, never logged;
 * SCRAM-SHA-256 checks the server's signature and refuses iteration counts outside
 * 4096..1,000,000. The 7-bit conversion runs in memory up to {@code maxDowngradeSize}. It
 * reaches only the socket it opens and the {@link dev.sealpost.smtp.client.MessageSource}.
 *
 * <h2>Standards</h2>
 * RFC 5321, RFC 1870 (SIZE), RFC 2034 / 3463 (enhanced status codes), RFC 2045 / 2046 (7-bit
 * conversion), RFC 2920 (PIPELINING), RFC 3030 (CHUNKING, BINARYMIME), RFC 3207 (STARTTLS),
 * RFC 3461 (DSN parameters), RFC 4954 (AUTH), RFC 4616 (PLAIN), RFC 5802 / 7677 (SCRAM-SHA-256),
 * RFC 6066 (SNI), RFC 6125 (name check), RFC 6152 (8BITMIME), RFC 6531 (SMTPUTF8),
 * RFC 7435 (opportunistic TLS), RFC 8689 (REQUIRETLS).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.smtp.client.ClientSettings}: timeouts (RFC 5321 §4.5.3.2 minimums by
 * default: greeting 5 min, MAIL 5 min, RCPT 5 min, DATA 2 min, data block 3 min, final dot 10
 * min), local address, PKIX trust anchors, reply limits, BDAT chunk size, 7-bit conversion
 * limit, plaintext AUTH permission, BDAT preference.
 */
package dev.sealpost.smtp.client;
