/**
 * A Java runner for Dovecot ImapTest's scripted IMAP tests ({@code shared/conformance/imaptest},
 * 72 scripts, MIT licensed), so that the same suite can judge any IMAP server: Dovecot (to
 * validate the runner) and Sealpost's own.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.it.imaptest.ImaptestScript} parses a script with the semantics of
 * imaptest's {@code src/test-parser.c} (header, command groups, pipelining tags, expected tagged
 * status, expected / banned / optional untagged lines, {@code {{{ }}}} literals, {@code !ifenv}
 * blocks, default list directives); {@code ImaptestMatcher} implements the matching rules of
 * {@code src/test-exec.c} ({@code $var} binding, {@code $} wildcard, {@code $N} sequence
 * mapping, {@code ${case:..}}, {@code $modseqN}, {@code $!} list directives, case-insensitive
 * C-string comparison); {@link dev.sealpost.it.imaptest.ImaptestRunner} prepares the start-up
 * state (login, clean the test mailbox, append {@code <name>.mbox} or {@code default.mbox},
 * select) and runs the groups over plain TCP; {@link dev.sealpost.it.imaptest.ImaptestSuite}
 * runs a directory and summarises. Results are values
 * ({@link dev.sealpost.it.imaptest.ImaptestResult}: PASSED, FAILED with the first mismatch,
 * SKIPPED with the missing capabilities). Written from imaptest's documentation and C sources as
 * the reference; no code was copied.
 *
 * <p>Deliberate differences from imaptest: imaptest's own cross-session mailbox-state checking
 * (beyond what a script states) is not reproduced; synchronizing literals are supported (imaptest
 * requires LITERAL+); a connection that logs in as another user ({@code user 2: $user2}) gets its
 * own test mailbox created before SELECT (imaptest cannot start such a script).
 *
 * <h2>Security</h2>
 * Test code only. It parses untrusted server responses with bounded lines (1 MiB) and literals
 * (64 MiB) and a per-reply timeout; scripts are trusted files of the repository. The scripts are
 * destructive for the test mailbox ({@code imaptest*}) of the users they log in as.
 * {@link dev.sealpost.it.imaptest.DovecotServer} runs a private Dovecot from a temporary
 * directory on 127.0.0.1, never the system configuration.
 *
 * <h2>Standards</h2>
 * RFC 3501 / RFC 9051 (IMAP4rev1 / rev2) and the extensions the scripts exercise (RFC 7888
 * LITERAL+, RFC 3502 MULTIAPPEND, RFC 4469 CATENATE, RFC 4467 URLAUTH, RFC 4315 UIDPLUS, RFC 5256
 * SORT/THREAD, RFC 4731 ESEARCH, RFC 5267 CONTEXT, RFC 7162 CONDSTORE/QRESYNC, RFC 5465 NOTIFY,
 * RFC 3516 BINARY, RFC 6851 MOVE, RFC 5258 LIST-EXTENDED, RFC 2971 ID).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.it.imaptest.ImaptestRunner.Target}: host, port, two users with one
 * password, the test mailbox (default {@code imaptest}), the reply timeout, LITERAL+ use.
 * {@link dev.sealpost.it.imaptest.DovecotImaptestTest} needs Debian's {@code dovecot-imapd}; it
 * is skipped without it unless {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
package dev.sealpost.it.imaptest;
