/**
 * FETCH (RFC 9051 §6.4.5, §7.5.2): parsing the data items ({@link dev.sealpost.imap.fetch.FetchRequest})
 * and rendering one message's response list ({@link dev.sealpost.imap.fetch.FetchRenderer}): flags,
 * dates, sizes, ENVELOPE, BODY and BODYSTRUCTURE, BODY[section]&lt;partial&gt; with every section
 * form, RFC822*, BINARY[section] and BINARY.SIZE (RFC 3516), PREVIEW (RFC 8970), EMAILID and
 * THREADID (RFC 8474), SAVEDATE (RFC 8514) and MODSEQ (RFC 7162).
 *
 * <h2>Security</h2>
 * The message content is untrusted but already parsed into a bounded
 * {@link dev.sealpost.message.MessageStructure} (depth, parts, header size); sections are byte
 * ranges of it, clamped to the stored octets. Transfer decoding never grows the data beyond the
 * part's size. PREVIEW reads at most 16 KiB of one part. The request is parsed from client input:
 * part paths (100 levels), header field lists (1000 names) and numbers (64-bit) are bounded.
 * Nothing here writes to the network or the store: setting {@code \Seen} is the session's job.
 *
 * <h2>Standards</h2>
 * RFC 9051, RFC 3516 (BINARY), RFC 8970 (PREVIEW), RFC 8474 (OBJECTID), RFC 8514 (SAVEDATE),
 * RFC 7162 (CONDSTORE, QRESYNC modifiers), RFC 2045 (base64, quoted-printable).
 *
 * <h2>Choices where the RFCs leave room (Dovecot's answers, checked against Dovecot 2.3)</h2>
 * A section that does not exist is an empty string (not NIL); {@code N.1} of a leaf part N of a
 * multipart is N itself; BINARY of a composite (and BINARY[]) decodes every leaf inside and marks
 * it {@code Content-Transfer-Encoding: binary}; HEADER.FIELDS.NOT keeps lines that are not fields;
 * text parts without a charset show {@code ("CHARSET" "us-ascii")}. Differences that remain are
 * the parser's (line counts of a last line without line end, malformed multiparts): see
 * {@link dev.sealpost.message.MessageStructure}. 8-bit parameter values (decoded from RFC 2231 by
 * the parser) are sent RFC 2231-encoded again ({@code name*} = {@code utf-8''...}).
 *
 * <h2>Leniency (decided, not accidental)</h2>
 * Base64 ignores characters outside its alphabet (RFC 2045 §6.8 says so); quoted-printable accepts
 * lower-case hex and keeps a malformed "=" as is. A NUL in stored content is sent as 0x80 in BODY
 * and RFC822 literals (a literal must not hold NUL); BINARY sends it as it is in a literal8.
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.imap.fetch;
