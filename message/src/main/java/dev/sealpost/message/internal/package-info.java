/**
 * Implementation of the message parser; not API (other modules use {@code dev.sealpost.message}).
 *
 * <h2>Purpose</h2>
 * {@code LineReader} (bounded line prefixes with absolute offsets), {@code HeaderBlock} (one
 * bounded header section, unfolded into fields), {@code MimeValues} (Content-Type,
 * Content-Disposition, RFC 2231 parameters), {@code AddressParser} (RFC 5322 address lists),
 * {@code StructureParser} (the one-pass MIME walk) and {@code StructureCodec} (the versioned cache
 * format).
 *
 * <h2>Security</h2>
 * All of it parses untrusted input; every loop is bounded by the input length or a limit, and
 * recursion by {@code Limits.maxDepth} (parse) or a fixed depth (cache decoding). Reaches nothing
 * but the stream or bytes it is given.
 *
 * <h2>Standards</h2>
 * As the parent package: RFC 5322, 2045, 2046, 2047, 2183, 2231, 3282, 6532.
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.message.internal;
