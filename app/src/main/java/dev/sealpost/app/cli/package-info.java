/**
 * The command line: {@code serve}, {@code demo}, the admin commands ({@code domain},
 * {@code account}, {@code alias}, {@code quota}), and {@code sop}, the Stateless OpenPGP command
 * line over {@code secure.openpgp} (no store, no config: data on standard input and output).
 *
 * <h2>Purpose</h2>
 * Runs the server, and changes the dynamic data (the directory) of a configured server or a
 * data directory, also while the server runs (SQLite WAL allows a second process).
 *
 * <h2>Security</h2>
 * Passwords are never taken from the command line (where {@code ps} would show them) except
 * the demo's {@code --password}: they are asked for on the terminal, read from standard input
 * or generated. Errors are printed without stack traces and exit with status 2.
 *
 * <h2>Standards</h2>
 * draft-dkg-openpgp-stateless-cli (the {@code sop} subcommands and exit codes); the rest: none.
 *
 * <h2>Configuration</h2>
 * {@code --config FILE} (default {@code $SEALPOST_CONFIG}, then {@code /etc/sealpost/sealpost.toml})
 * or {@code --data DIR}.
 */
package dev.sealpost.app.cli;
