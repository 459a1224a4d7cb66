/**
 * Not API: comparators and match types (RFC 4790 §9, RFC 5228 §2.7, RFC 5231) and the address
 * splitting the address and envelope tests use, and the body test's transforms (MIME structure from
 * the message module's bounded parser, transfer and charset decoding).
 *
 * <p><b>Security:</b> works on untrusted strings; linear-time matching, no regular expressions
 * built from script input.
 *
 * <p><b>Standards:</b> RFC 4790, RFC 5228, RFC 5229 §3.2, RFC 5231, RFC 5322 §3.4, RFC 5173 §5, RFC 2045 §6.
 *
 * <p><b>Configuration:</b> none.
 */
package dev.sealpost.sieve.internal;
