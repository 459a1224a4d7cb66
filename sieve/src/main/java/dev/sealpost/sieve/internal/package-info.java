/**
 * Not API: comparators and match types (RFC 4790 §9, RFC 5228 §2.7, RFC 5231) and the address
 * splitting the address and envelope tests use, the body test's transforms (MIME structure from
 * the message module's bounded parser, transfer and charset decoding), the bounded :regex match
 * type ({@link dev.sealpost.sieve.internal.Regex}), RFC 5322 dates and the date parts of RFC 5260
 * ({@link dev.sealpost.sieve.internal.Dates}) and mailto URIs ({@link dev.sealpost.sieve.internal.Mailto}).
 *
 * <p><b>Security:</b> works on untrusted strings. :matches is linear-time. :regex compiles the
 * script's pattern with java.util.regex, which backtracks, so it is bounded three ways: the
 * pattern's length (1,024), the input's (64 KiB) and a budget of 2,000,000 character reads per
 * match, after which the match stops with an error; back-references are refused.
 *
 * <p><b>Standards:</b> RFC 4790, RFC 5228, RFC 5229 §3.2, RFC 5231, RFC 5322 §3.3, §3.4, §4.3,
 * RFC 5173 §5, RFC 2045 §6, RFC 5260 §4.2, RFC 6068, RFC 5436, draft-ietf-sieve-regex-01.
 *
 * <p><b>Configuration:</b> none (the bounds are constants).
 */
package dev.sealpost.sieve.internal;
