/**
 * Not API: comparators and match types (RFC 4790 §9, RFC 5228 §2.7, RFC 5231) and the address
 * splitting the address and envelope tests use.
 *
 * <p><b>Security:</b> works on untrusted strings; linear-time matching, no regular expressions
 * built from script input.
 *
 * <p><b>Standards:</b> RFC 4790, RFC 5228, RFC 5229 §3.2, RFC 5231, RFC 5322 §3.4.
 *
 * <p><b>Configuration:</b> none.
 */
package dev.sealpost.sieve.internal;
