/**
 * Running a compiled Sieve script: the {@link dev.sealpost.sieve.run.Environment} the script sees
 * (header fields, envelope, size, body; and, with defaults, the user's addresses, the vacation and
 * duplicate memories, the clock, environment items, included scripts, mailbox ids, special-use
 * flags, spam and virus scores), the {@link dev.sealpost.sieve.run.Interpreter}, and its
 * {@link dev.sealpost.sieve.run.Result}: the ordered {@link dev.sealpost.sieve.run.Action}s (keep,
 * fileinto, redirect, reject, discard, vacation with its reply built, notify, header edits) and
 * whether the implicit keep applies (RFC 5228 §2.10.2). Carrying actions out, and recording
 * vacation replies and duplicates, is the caller's job (delivery).
 * {@link dev.sealpost.sieve.run.IncludeCheck} checks a script's includes before it runs.
 *
 * <p><b>Security:</b> runs untrusted scripts over untrusted messages. Bounded by
 * {@link dev.sealpost.sieve.run.Interpreter.Options}: steps, wall-clock time, actions, redirects,
 * variable size (cut), strings built at run time, number of variables, include depth; each bound
 * is its own {@code SieveError.Kind}, cancels the actions and leaves the implicit keep. Vacation
 * never answers bounces, daemons, lists, automatic mail or the user's own mail (RFC 3834 §2, RFC
 * 5230 §4.5), and scripts cannot put line ends into reply header fields. No I/O; it reaches
 * nothing but the environment it is given.
 *
 * <p><b>Standards:</b> RFC 5228, RFC 5229, RFC 5231, RFC 5232, RFC 5233, RFC 3894, RFC 5429,
 * RFC 4790, RFC 5173 (partial), RFC 5230, RFC 6131, RFC 3834, RFC 5260, RFC 5463, RFC 5183,
 * RFC 6609, RFC 5293, RFC 7352, RFC 9042, RFC 8579, RFC 5235, RFC 5435, RFC 5436.
 *
 * <p><b>Configuration:</b> {@code Options} (limits, recipient delimiters), chosen by the caller;
 * not wired into delivery on this branch.
 */
package dev.sealpost.sieve.run;
