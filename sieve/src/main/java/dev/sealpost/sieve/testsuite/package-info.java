/**
 * Dovecot Pigeonhole's {@code vnd.dovecot.testsuite} extension, enough to run its {@code .svtest}
 * files unchanged: the conformance harness (PigeonholeSuiteTest) and {@code sealpost sieve test}
 * use it. It keeps mailboxes, the outgoing mail and the vacation and duplicate memories in memory.
 *
 * <p><b>Security:</b> runs the test files and the helper scripts beside them; reads only files in
 * the test file's directory (and its {@code included/}, {@code included-global/}); writes nothing.
 * Meant for scripts a user chose to test, not for mail.
 *
 * <p><b>Standards:</b> RFC 5228 and the extensions of {@code sieve.script}; Pigeonhole's testsuite
 * extension (not a standard). Error counts and texts of {@code test_error} are not Pigeonhole's.
 *
 * <p><b>Configuration:</b> {@code test_config_set} settings it understands:
 * {@code sieve_variables_max_variable_size}, {@code recipient_delimiter},
 * {@code sieve_include_max_nesting_depth}, and the spamtest/virustest header settings.
 */
package dev.sealpost.sieve.testsuite;
