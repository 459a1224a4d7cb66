/**
 * The quarantine seen by its users (issue 14): a digest mail per account listing what the filter
 * held, with release and delete links, and the actions those links confirm.
 *
 * <p>{@link dev.sealpost.filter.quarantine.QuarantineTokens} makes and checks the links' tokens;
 * {@link dev.sealpost.filter.quarantine.QuarantineActions} releases (into the INBOX, training the
 * classifier with the message as ham) and deletes held messages, for the CLI and the web alike;
 * {@link dev.sealpost.filter.quarantine.QuarantineDigest} composes the digests and hands them to
 * the spool.
 *
 * <p><b>Security:</b> a link is a bearer token, so it is HMAC-SHA-256 signed (a key of 32 random
 * octets in {@code <data_dir>/quarantine/digest.key}, mode 0600), names one entry, one action and
 * an expiry, and is checked in constant time. It is single use by the entry's own state: a release
 * or delete removes the entry, so any later token for it (either action) is refused; actions are
 * serialized so two concurrent POSTs cannot both release. A GET never acts (link scanners follow
 * GETs): it shows a page whose button POSTs. The digest never carries a held message's content:
 * only date, sender, subject (control characters removed, clipped) and the filter's verdict. It is
 * sent from {@code postmaster@<domain>} with a null reverse-path and {@code Auto-Submitted:
 * auto-generated} (RFC 3834 §5), so no auto-responder answers it.
 *
 * <p><b>Configuration:</b> {@code filter.quarantine_digest} (off, hourly, daily) and
 * {@code filter.quarantine_link_days}.
 */
package dev.sealpost.filter.quarantine;
