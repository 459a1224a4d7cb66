/**
 * The Sieve language: lexer and parser (RFC 5228 §2, §8), the syntax tree, and the compiler that
 * checks a script against the {@link dev.sealpost.sieve.script.Language} (commands, tests, tagged
 * and positional arguments, {@code require}) into its {@link dev.sealpost.sieve.script.Compiled} form.
 *
 * <p><b>Security:</b> parses untrusted input (users' scripts). The parser is bounded by
 * {@link dev.sealpost.sieve.script.ParseLimits} (script size, nesting, string length, commands,
 * list size), never throws and never recurses deeper than the nesting limit; every failure is a
 * {@link dev.sealpost.sieve.script.SieveError} with a line. No I/O.
 *
 * <p><b>Standards:</b> RFC 5228 (base language, encoded-character), RFC 5229 (variables), RFC 5231
 * (relational), RFC 5232 (imap4flags), RFC 5233 (subaddress), RFC 3894 (copy), RFC 5429 (reject,
 * ereject), RFC 4790 (comparators), RFC 5173 (body, partial).
 *
 * <p><b>Configuration:</b> none yet; limits are passed by the caller (delivery will map its settings).
 */
package dev.sealpost.sieve.script;
