/**
 * The local transport (MDA).
 *
 * <h2>Purpose</h2>
 * Takes spooled messages, expands each recipient through the directory (aliases, catch-all,
 * plus-addressing), files one copy per account into its INBOX and hands foreign targets to
 * the outbound side (spool state REMOTE). One store transaction per message makes delivery
 * exactly once per account across crashes. Mail to the configured report mailboxes is also read
 * by {@link dev.sealpost.delivery.ReportIntake}: DMARC aggregate and TLS-RPT reports are parsed
 * and stored (deduplicated) before the message is delivered as usual.
 *
 * <h2>Security</h2>
 * Reads spool rows and directory entries written by trusted code, and parses each delivered
 * message once with the bounded {@code message} parser to cache its MIME structure for IMAP
 * (a parse failure never blocks delivery). Report mails are untrusted: the report parsers are
 * bounded (no DTDs, size and count limits) and a report that does not parse is only logged.
 * Never delivers to files or programs.
 *
 * <h2>Standards</h2>
 * RFC 5321 §4.4 (final delivery), RFC 5233 convention for {@code user+tag}; RFC 7489 §7.2 and
 * RFC 8460 §5.3 (received reports).
 *
 * <h2>Configuration</h2>
 * {@code auth.report_mailboxes} (the addresses read for reports); the poll interval is set by
 * the app (a wake-up signal from the inbound side makes delivery immediate).
 */
package dev.sealpost.delivery;
