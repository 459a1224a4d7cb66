/**
 * Internals of the bounce parser; not API.
 *
 * <h2>Purpose</h2>
 * {@code BodyText}: a leaf part's body as bounded text (base64 and quoted-printable decoding,
 * charset). {@code DsnReader}: the field groups of a {@code message/delivery-status} body.
 * {@code TextBounces}: the heuristics for non-standard bounce texts.
 *
 * <h2>Security</h2>
 * Handles untrusted text, bounded by the caller ({@code BounceLimits}); no I/O; the patterns have
 * no nested unbounded quantifiers.
 *
 * <h2>Standards</h2>
 * RFC 3464 §2 (fields), RFC 2045 §6.7 and §6.8 (quoted-printable, base64), RFC 2047 (Subject).
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.lists.bounce.internal;
