/**
 * IMAP wire syntax (RFC 9051 §4, §9): the bounded command reader ({@link dev.sealpost.imap.proto.CommandReader}
 * producing {@link dev.sealpost.imap.proto.Command}s of {@link dev.sealpost.imap.proto.Arg}s), sequence
 * sets, modified UTF-7 mailbox names, LIST / LSUB patterns ({@link dev.sealpost.imap.proto.ListPattern}),
 * the relative IMAP URLs of CATENATE (RFC 5092, {@link dev.sealpost.imap.proto.ImapUrl})
 * and the encoding of strings in responses ({@link dev.sealpost.imap.proto.Wire}).
 *
 * <h2>Security</h2>
 * Parses untrusted network input. Every input is bounded ({@link dev.sealpost.imap.proto.ReaderLimits}):
 * line length (longer lines are skipped to their end, keeping only their first and last octets),
 * literal sizes (a separate limit for APPEND), total command size, list nesting (checked before
 * descending, so no deep recursion) and argument count. A refused literal is never read into
 * memory: a synchronizing one is not sent by the client, a non-synchronizing one is skipped.
 * NUL is accepted only inside a literal8 (RFC 3516). LIST patterns come from authenticated users
 * and are matched against their own and shared mailbox names without regular expressions (a regex
 * per wildcard backtracked for minutes): at most (name + 1) × (pattern + 1) steps per name, joined
 * patterns of at most 2,048 characters, names over 4,096 never match, and the steps are counted so
 * the session bounds a whole command. Nothing here does I/O beyond the given stream and the
 * continuation callback.
 *
 * <h2>Standards</h2>
 * RFC 9051 (IMAP4rev2: §2.2 commands, §4 data formats, §9 formal syntax), RFC 3501 §5.1.3
 * (modified UTF-7), RFC 9051 §6.3.9 and §5.1 (LIST patterns, INBOX), RFC 7888 (LITERAL+ / LITERAL-), RFC 3516 (literal8), RFC 7889 and RFC 9051
 * §7.1 (TOOBIG).
 *
 * <h2>Leniency (decided, not accidental)</h2>
 * A bare LF ends a line; runs of spaces between arguments and trailing spaces are accepted; a
 * list may directly follow a list; atoms may hold {@code \ % * ]}. 8-bit octets are accepted in
 * quoted strings (UTF-8, RFC 9051) but not in atoms.
 *
 * <h2>Configuration</h2>
 * Limits come from the session ({@link dev.sealpost.imap.proto.ReaderLimits}); nothing is read here.
 */
package dev.sealpost.imap.proto;
