/**
 * MX and submission policy: implements the SMTP engine's handler SPI.
 *
 * <h2>Purpose</h2>
 * Decides, before "250", who may send what to whom: no open relay (foreign recipients only
 * from authenticated submission), unknown recipients refused at RCPT (550 5.1.1), quotas
 * (452 4.2.2 / 552 5.2.2), the authenticated sender's right to the MAIL FROM address
 * (553 5.7.1), postmaster (RFC 5321 §4.5.1), mail loops (554 5.4.6), SRS addresses of ours
 * (docs/srs.md: a valid one is rewritten to the address it stands for and relayed there with
 * the envelope sender kept; a forged or expired one gets 550 5.1.1). Accepted content is
 * prefixed with Received (and Return-Path when every recipient is local), written to the
 * blob store and spooled; "250" is sent only once both are durable. A small message (within the
 * blob store's inline limit) is one database transaction: blob row and queue rows, and, when
 * {@link dev.sealpost.inbound.InboundSettings#fileLocalAtAcceptance()} is on, the mailbox copies
 * of the recipients that resolved to local accounts only at RCPT (not the report mailboxes);
 * the other recipients stay with local delivery (docs/adr/0004-small-messages-in-the-database.md).
 * At the MX, {@link dev.sealpost.inbound.FilterPolicy} runs the threat filter after sender
 * authentication (whose verdict it reads through the per-message attachments of
 * {@link dev.sealpost.inbound.MessageContent}): 550 5.7.1 at the reject score, a quarantined or
 * phishing message is left to local delivery (no filing at acceptance), junk goes to {@code \Junk}.
 * {@link dev.sealpost.inbound.ClientChecks} asks the DNS lists about the MX client at its first MAIL
 * FROM (554 5.7.1 naming the list, or scored) and greylists at RCPT (451 4.7.1); the filter scans
 * with clamd (554 5.7.1 with the signature; 451 4.3.0 when clamd is down). At submission,
 * {@link dev.sealpost.inbound.OutboundGuard} limits messages (450 4.7.1) and recipients
 * (452 4.5.3) per account and hour and holds the outgoing mail of an account that sends
 * spam-scored mail to many recipients (quarantined; {@link dev.sealpost.inbound.PostmasterNotice}
 * tells the postmaster). Its counters are in memory, per process.
 * An {@link dev.sealpost.inbound.AcceptanceListener} (the evidence log) is told of each message
 * after the spool commit and before the "250", and may take request fields out of it
 * ({@code Sealpost-Receipt}); its {@code journal} rows (the evidence records) commit in the
 * spool's own transaction.
 *
 * <h2>Security</h2>
 * Handles untrusted input from the network: envelope addresses (already parsed and bounded by
 * the {@code smtp} engine) and message content (streamed, never held whole in memory; only the
 * header section is scanned, for Received fields). The client's HELO is sanitised before it
 * goes into a header. SRS local parts are untrusted: only an HMAC-checked, unexpired one opens
 * the relay to its original address. Reaches the store (directory look-ups, blobs, spool) and nothing else.
 * The filter parses the whole message (bounded by the message module's limits); the verdict field
 * local delivery trusts ({@code X-Sealpost-Filter}) is removed from every arriving message.
 * Through the filter's {@code net} package the session reaches the configured DNS resolver (the
 * lists; client addresses never resolved by the JVM, private ones never sent) and clamd (the
 * message bytes). Reply texts quoting a list's TXT record or clamd's signature and file names are
 * bounded printable ASCII. Rate-limit and hold state is keyed by the authenticated account only
 * (never by a client-supplied name) and bounded by the accounts active in the last hour.
 *
 * <h2>Standards</h2>
 * RFC 5321 §3.6, §4.4, §4.5.1, §6.1, §6.3; RFC 6409 §8.1; RFC 3463; RFC 1870; RFC 3848;
 * RFC 6531 §3.7.3; RFC 3461 §4.2 (ORCPT kept when a recipient is rewritten); RFC 5782 (DNS lists);
 * RFC 6647 (greylisting); RFC 3834 (the hold notice is auto-generated).
 *
 * <h2>Configuration</h2>
 * {@code smtp.sender_must_match}, {@code server.postmaster}, {@code auth.report_mailboxes}, {@code [srs]} (see
 * {@link dev.sealpost.inbound.InboundSettings}); {@code [filter]} ({@code enabled},
 * {@code reject_score}, {@code junk_score}, {@code protect}, {@code vips}, {@code [filter.weights]}, clamd, the
 * DNS lists, greylisting, {@code submission_*_per_hour}, {@code outbound_spam_score}, {@code outbound_hold_recipients}).
 */
package dev.sealpost.inbound;
