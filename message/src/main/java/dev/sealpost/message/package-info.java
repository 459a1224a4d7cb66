/**
 * Internet messages: the parsed structure of a stored message, for IMAP and for the store's cache.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.message.MessageStructure#parse} reads an RFC 5322 message once, streaming,
 * and returns its MIME tree ({@link dev.sealpost.message.Part}: byte ranges of each header section
 * and body, body line counts, Content-* fields) and the {@link dev.sealpost.message.Envelope} of
 * the message and of each embedded message/rfc822. That is everything IMAP needs for
 * BODYSTRUCTURE, ENVELOPE, BODY[section] and partial fetches (RFC 9051 §7.5.2) without parsing
 * again: delivery parses each message once and the store keeps
 * {@link dev.sealpost.message.MessageStructure#toBytes()} next to it.
 * {@link dev.sealpost.message.EncodedWords} decodes RFC 2047 words for display and the summary
 * columns.
 *
 * <h2>Security</h2>
 * Parses untrusted input (any message a peer sends). The parser is bounded
 * ({@link dev.sealpost.message.MessageStructure.Limits}): one header section of at most
 * {@code maxHeaderBytes} and {@code maxHeaderFields} is held at a time, a line is kept only up to
 * a fixed prefix, nesting is limited to {@code maxDepth} (so recursion is bounded) and the tree to
 * {@code maxParts}. A limit hit marks the part ({@code limitHit}) and turns it into a leaf instead
 * of failing, so hostile mail stays deliverable. It never throws on content, only on I/O; it
 * reaches nothing but the stream it is given. Multipart framing is strict (RFC 2046 delimiter
 * lines only); leniencies are listed where they are implemented: bare LF line ends, 8-bit header
 * bytes that are not UTF-8 (read as ISO-8859-1), unquoted parameter values with tspecials,
 * encoded words not separated by white space, address syntax errors.
 *
 * <h2>Standards</h2>
 * RFC 5322 (header fields, unfolding §2.2.3, addresses §3.4, obsolete routes §4.4),
 * RFC 2045 (Content-Type defaults §5.2, Content-Transfer-Encoding §6), RFC 2046 (multipart
 * §5.1.1 boundaries, preamble and epilogue; multipart/digest §5.1.5; message/rfc822 §5.2.1),
 * RFC 2047 (encoded words), RFC 2183 (Content-Disposition), RFC 2231 (parameter continuations,
 * charsets and languages), RFC 3282 (Content-Language), RFC 6532 (UTF-8 headers,
 * message/global), RFC 9051 §7.5.2 (what ENVELOPE and BODYSTRUCTURE need).
 *
 * <h2>Configuration</h2>
 * None read directly; callers pass {@link dev.sealpost.message.MessageStructure.Limits}
 * ({@code Limits.defaults()}: 256 KiB and 1000 fields per header section, depth 20, 1000 parts,
 * boundaries up to 200 octets).
 */
package dev.sealpost.message;
