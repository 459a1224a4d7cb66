/**
 * The Sieve language: lexer and parser (RFC 5228 §2, §8), the syntax tree, and the compiler that
 * checks a script against the {@link dev.sealpost.sieve.script.Language} (commands, tests, tagged
 * and positional arguments, {@code require}, and the literal arguments of extensions: regex
 * patterns, header field names, include script names, notify methods, date zones) into its
 * {@link dev.sealpost.sieve.script.Compiled} form.
 *
 * <p><b>Security:</b> parses untrusted input (users' scripts). The parser is bounded by
 * {@link dev.sealpost.sieve.script.ParseLimits} (script size, nesting, string length, commands,
 * list size), never throws and never recurses deeper than the nesting limit; every failure is a
 * {@link dev.sealpost.sieve.script.SieveError} with a line (and a column for syntax errors). No I/O.
 *
 * <p><b>Standards:</b> RFC 5228 (base language, encoded-character), RFC 5229 (variables), RFC 5231
 * (relational), RFC 5232 (imap4flags), RFC 5233 (subaddress), RFC 3894 (copy), RFC 5429 (reject,
 * ereject), RFC 4790 (comparators), RFC 5173 (body, partial), RFC 5230 and RFC 6131 (vacation),
 * RFC 5260 (date, index), RFC 5463 (ihave), RFC 5183 (environment), RFC 6609 (include), RFC 5293
 * (editheader), RFC 7352 (duplicate), RFC 9042 (mailboxid), RFC 8579 (special-use), RFC 5235
 * (spamtest, spamtestplus, virustest), RFC 5435 (enotify), draft-ietf-sieve-regex (regex).
 *
 * <p><b>Configuration:</b> none; limits are passed by the caller (delivery will map its settings).
 */
package dev.sealpost.sieve.script;
