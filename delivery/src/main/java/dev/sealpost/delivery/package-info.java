/**
 * The local transport (MDA).
 *
 * <h2>Purpose</h2>
 * Takes spooled messages, expands each recipient through the directory (aliases, catch-all,
 * plus-addressing), files one copy per account into its INBOX and hands foreign targets to
 * the outbound side (spool state REMOTE). One store transaction per message makes delivery
 * exactly once per account across crashes. Mail to the configured report mailboxes is also read
 * by {@link dev.sealpost.delivery.ReportIntake}: DMARC aggregate and TLS-RPT reports are parsed
 * and stored (deduplicated) before the message is delivered as usual. An account with an active
 * Sieve script gets what its script decides ({@link dev.sealpost.delivery.SieveFilter}: keep,
 * fileinto with {@code :create}, flags, discard, reject, redirect, vacation); any error keeps the
 * message in INBOX. {@link dev.sealpost.delivery.Forwarder} sends mail on as new spool messages:
 * alias targets at other domains and Sieve redirects with an SRS envelope sender
 * ({@code dev.sealpost.queue.srs}, docs/srs.md), vacation replies with the null sender and the
 * one-reply-per-period memory in the store. A {@link dev.sealpost.delivery.RecipientHook} (the
 * list engine, docs/lists.md) may take a local recipient over before the directory look-up.
 * The MX filter's verdict ({@link dev.sealpost.store.FilterMark}, above our Received field) is
 * applied here: a quarantined message is held in the store's quarantine for each recipient
 * account and filed nowhere, and for each remote recipient (account 0) instead of being queued for
 * sending (held outgoing mail of a compromised-looking account, docs/filter.md "Submission"); {@code $Phishing} is set on the copies of a phishing-like message; a
 * junk verdict is left to an active Sieve script, whose {@code spamtest} reads the score.
 * Admin scripts (server-wide or per domain, V17) run before and after the user's as Pigeonhole's
 * sieve_before and sieve_after ({@link dev.sealpost.delivery.SieveFilter#scripts}). editheader
 * edits make a new blob for the copies stored and redirected after them
 * ({@link dev.sealpost.delivery.HeaderEdits}); {@code notify} builds a mailto notification
 * ({@link dev.sealpost.delivery.Notifications}) that leaves through the spool and outbound queue.
 * Everything Sieve sends for a delivery (redirect, vacation, notification, error report) is
 * queued together with a key naming the delivery and the action, so a redo after a crash sends
 * nothing twice; a user's script that fails files one error report per script version into INBOX.
 *
 * <h2>Security</h2>
 * Reads spool rows and directory entries written by trusted code, and parses each delivered
 * message once with the bounded {@code message} parser to cache its MIME structure for IMAP
 * (a parse failure never blocks delivery). Report mails are untrusted: the report parsers are
 * bounded (no DTDs, size and count limits) and a report that does not parse is only logged.
 * Sieve scripts are the users' own, untrusted code: the interpreter is bounded (steps, actions,
 * redirects, variable sizes) and has no I/O; what it asks for is limited to the account's own
 * mailboxes (creation included, with the store's name rules) and a refusal of its own recipient.
 * Redirected mail carries {@code X-Sealpost-Redirected: <address>}; mail that already carries
 * the account's mark (or five marks) is kept instead of redirected again (loop detection), and
 * the interpreter bounds redirects per message. Vacation replies honour the interpreter's
 * RFC 3834 decision (never to lists, bounces or automatic mail); notifications are checked the
 * same way here, go out with the null sender, at most 3 per message and 8 recipients each, and
 * carry a summary of the original (sender, subject), never its content. editheader can never
 * add, change or remove {@code Received}, {@code Auto-Submitted}, the filter's verdict field or
 * the redirect mark (a script cannot defeat loop detection or forge a verdict). Error reports
 * go to the account's own INBOX only, from our postmaster, and no script runs on them.
 * Admin scripts are trusted config (stored by the CLI after they compile); their errors are
 * logged, not reported to users. Never delivers to files or programs.
 *
 * <h2>Standards</h2>
 * RFC 5321 §4.4 (final delivery), RFC 5233 convention for {@code user+tag}; RFC 7489 §7.2 and
 * RFC 8460 §5.3 (received reports); RFC 5228 (Sieve) with RFC 5232 flags, RFC 5490 {@code :create},
 * RFC 5429 reject (as a failed recipient and its DSN), RFC 3894 {@code :copy}, RFC 5230 §4.2
 * and §5.1 (vacation memory, null envelope sender of the reply), RFC 6131 (periods), RFC 3461
 * §4.2 (ORCPT kept on forwarded copies), RFC 7208 Appendix D (SRS for forwarding),
 * RFC 5235 spamtest (the filter's score), RFC 5293 (editheader on the stored copy), RFC 5435 and
 * RFC 5436 (mailto notifications), RFC 3834 (automatic mail never answered; Auto-Submitted on ours).
 *
 * <h2>Configuration</h2>
 * {@code auth.report_mailboxes} (the addresses read for reports); {@code [srs]} (sender
 * rewriting of forwarded mail); Sieve scripts are data in the
 * store, managed over ManageSieve ({@code [managesieve]}); the poll interval is set by
 * the app (a wake-up signal from the inbound side makes delivery immediate);
 * {@code filter.quarantine_days} (how long a held message is kept; expired ones are purged hourly).
 */
package dev.sealpost.delivery;
