/**
 * IMAP4rev2 server (RFC 9051, serving IMAP4rev1 clients too): tokenizer and wire encoding
 * ({@code proto}), FETCH rendering ({@code fetch}), SEARCH, SORT and THREAD ({@code search}), and
 * the listener and session state machine ({@code server}) over the store's mailboxes.
 *
 * <h2>Security</h2>
 * No LOGIN or AUTHENTICATE with a plaintext mechanism before TLS unless configured (LOGINDISABLED,
 * RFC 9051 §6.2.3); failed logins are slowed down by the shared login throttle; every parser is
 * bounded (command length, literal size, list nesting) and answers a violation with BAD or BYE.
 * Another account's mailboxes are reachable only through ACL rights (RFC 4314).
 *
 * <h2>Standards</h2>
 * See {@code docs/rfc-index.md}.
 */
package dev.sealpost.imap;
