/**
 * Bounce parsing for list mail: which members' addresses failed, permanently or for now.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.lists.bounce.BounceParser} reads a bounce that reached a list's VERP return
 * path and returns a {@link dev.sealpost.lists.bounce.Bounce}: the failed recipients, each
 * permanent or temporary, with the RFC 3463 status and the diagnostic when the report gives them,
 * and the format they were found in. RFC 3464 reports are read exactly (Action {@code failed} is
 * permanent, {@code delayed} temporary; Original-Recipient is preferred to Final-Recipient since it
 * is the address we sent to); for the non-standard formats still common (Postfix, qmail, Exim,
 * Sendmail, Microsoft Exchange, Yahoo, SMTP32 and a set of ad-hoc phrasings) the text is searched
 * heuristically. The VERP address usually names the member already; the parser confirms that
 * the message is a failure and whether it is permanent. Conformance: the flufl.bounce corpus
 * ({@code FluflBounceCorpusTest}: every RFC 3464 report exact, 97 of 101 others).
 *
 * <h2>Security</h2>
 * Parses untrusted input: anyone can send mail to a bounce address. The work is bounded by
 * {@link dev.sealpost.lists.bounce.BounceLimits} (octets parsed, octets of each text part scanned,
 * MIME parts, recipients reported); the MIME tree comes from the {@code message} module's bounded
 * parser; the regular expressions are linear. Returned originals ({@code message/rfc822}) are not
 * read, except a forwarded report (an embedded {@code multipart/report}). Leniencies, each marked
 * where implemented: the Action values "failure" and "error", a recipient field without its
 * address-type, blank lines before the first group, misspelt charsets. A forged bounce can at most
 * raise one member's bounce score; the caller should count only bounces that arrive at a valid
 * VERP address. Nothing here does I/O.
 *
 * <h2>Standards</h2>
 * RFC 3464 (delivery status notifications: §2.1 groups, §2.3.2 Final-Recipient, §2.3.1
 * Original-Recipient, §2.3.3 Action, §2.3.4 Status, §2.3.6 Diagnostic-Code), RFC 6533
 * ({@code message/global-delivery-status}), RFC 3463 (status codes), RFC 6522
 * ({@code multipart/report}), RFC 2045 (transfer encodings).
 *
 * <h2>Configuration</h2>
 * None read here; callers pass {@link dev.sealpost.lists.bounce.BounceLimits}
 * ({@code defaults()}: 1 MiB, 32 KiB per part, 100 parts, 100 recipients).
 */
package dev.sealpost.lists.bounce;
