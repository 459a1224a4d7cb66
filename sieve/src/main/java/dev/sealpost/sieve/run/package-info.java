/**
 * Running a compiled Sieve script: the {@link dev.sealpost.sieve.run.Environment} the script sees
 * (header fields, envelope, size, body), the {@link dev.sealpost.sieve.run.Interpreter}, and its
 * {@link dev.sealpost.sieve.run.Result}: the ordered {@link dev.sealpost.sieve.run.Action}s and
 * whether the implicit keep applies (RFC 5228 §2.10.2). Carrying actions out is the caller's job.
 *
 * <p><b>Security:</b> runs untrusted scripts over untrusted messages. Bounded by
 * {@link dev.sealpost.sieve.run.Interpreter.Options}: steps, actions, redirects, variable size;
 * :matches does not backtrack. No I/O; it reaches nothing but the environment it is given.
 *
 * <p><b>Standards:</b> RFC 5228, RFC 5229, RFC 5231, RFC 5232, RFC 5233, RFC 3894, RFC 5429,
 * RFC 4790, RFC 5173 (partial).
 *
 * <p><b>Configuration:</b> {@code Options} (limits, recipient delimiters); not wired into delivery yet.
 */
package dev.sealpost.sieve.run;
