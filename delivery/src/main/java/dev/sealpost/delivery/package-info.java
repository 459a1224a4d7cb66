/**
 * The local transport (MDA).
 *
 * <h2>Purpose</h2>
 * Takes spooled messages, expands each recipient through the directory (aliases, catch-all,
 * plus-addressing), files one copy per account into its INBOX and hands foreign targets to
 * the outbound side (spool state REMOTE). One store transaction per message makes delivery
 * exactly once per account across crashes.
 *
 * <h2>Security</h2>
 * Reads spool rows and directory entries written by trusted code, and parses each delivered
 * message once with the bounded {@code message} parser to cache its MIME structure for IMAP
 * (a parse failure never blocks delivery). Never delivers to files or programs.
 *
 * <h2>Standards</h2>
 * RFC 5321 §4.4 (final delivery), RFC 5233 convention for {@code user+tag}.
 *
 * <h2>Configuration</h2>
 * None yet; the poll interval is set by the app (a wake-up signal from the inbound side makes
 * delivery immediate).
 */
package dev.sealpost.delivery;
