/**
 * The message-security gateway (issue 13): S/MIME and OpenPGP applied by the server to the mail
 * of its users, by policy.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.inbound.secure.SubmissionSecurity} (a content policy on the submission
 * listeners, before DKIM signing) signs and encrypts what authenticated users send, per the
 * sender's and the recipients' {@link dev.sealpost.inbound.secure.SecurePolicy} (migration V15,
 * {@code sealpost keys policy}); a message that must be encrypted and cannot be is refused with
 * 550 5.7.5 naming the recipients without a key, and accounts with an OpenPGP key get an
 * {@code Autocrypt:} field. {@link dev.sealpost.inbound.secure.ReceptionSecurity} (a content
 * policy at the MX) decrypts for gateway-mode recipients, verifies S/MIME and PGP/MIME
 * signatures into Authentication-Results ({@code smime}, {@code x-openpgp}) and collects
 * senders' certificates and Autocrypt keys. {@link dev.sealpost.inbound.secure.SecureKeys} reads
 * the key store for both.
 *
 * <h2>Security</h2>
 * Parses untrusted input at the MX: MIME structure, CMS and OpenPGP packets (through the
 * {@code secure} module's bounded parsers), the Autocrypt field (bounded parser); messages over
 * 64 MiB are passed on untouched. Private keys are opened from their sealed form (key store,
 * KEK outside the database) for one operation and never logged. Only the authenticated account's
 * own keys sign, and only when the From address is that account. A decryption happens only when
 * every recipient of the transaction asked for it and each one's own key opens the message (so
 * nobody gets a plaintext that was not encrypted to them); otherwise the message stays as sent.
 * The {@value dev.sealpost.inbound.secure.ReceptionSecurity#DECRYPTED_FIELD} field is written
 * only by us (copies from outside are removed). Keys are collected from mail only when the From
 * domain passed DMARC, and never replace or downgrade an administrator's import. A failure of
 * our own while encrypting answers 451 4.7.5: never sends in clear what had to be encrypted.
 *
 * <h2>Standards</h2>
 * RFC 8551 (S/MIME 4.0), RFC 5083 (AuthEnvelopedData), RFC 3156 (PGP/MIME), RFC 9580 (OpenPGP),
 * RFC 7281 (Authentication-Results {@code smime}), RFC 8601 (Authentication-Results), RFC 3463
 * (X.7.5), Autocrypt Level 1.
 *
 * <h2>Configuration</h2>
 * {@code [secure]}: {@code enabled}, {@code subject_tag}; the policies themselves are data
 * ({@code sealpost keys policy}), read for each message.
 */
package dev.sealpost.inbound.secure;
