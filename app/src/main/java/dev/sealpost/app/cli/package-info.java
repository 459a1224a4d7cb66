/**
 * The command line: {@code serve}, {@code demo}, {@code quickstart} (a new server's config, data,
 * domain, admin account and certificate in one step), the admin commands ({@code domain},
 * {@code account}, {@code alias}, {@code quota}), and {@code sop}, the Stateless OpenPGP command
 * line over {@code secure.openpgp} (no store, no config: data on standard input and output), and
 * {@code keys} / {@code smime} (S/MIME and OpenPGP keys of accounts and others, domain CAs:
 * docs/keys.md).
 *
 * <h2>Purpose</h2>
 * Runs the server, and changes the dynamic data (the directory) of a configured server or a
 * data directory, also while the server runs (SQLite WAL allows a second process).
 *
 * <h2>Security</h2>
 * Passwords are never taken from the command line (where {@code ps} would show them) except
 * the demo's {@code --password}: they are asked for on the terminal, read from standard input
 * or generated. Errors are printed without stack traces and exit with status 2. New passwords
 * pass {@code PasswordPolicy} (minimum length, not one of the 10,000 most common passwords: a
 * bundled MIT-licensed list, see {@code SOURCE.md} beside it). {@code serve} refuses to run as
 * root unless given {@code --allow-root}; SIGHUP reloads the certificate and {@code [log]}.
 * {@code quickstart} never overwrites an existing config, database or certificate, prints its
 * generated password once (stored only hashed), and makes the data directory 0750, the config
 * 0640 and the TLS key 0600.
 * {@code keys import} parses untrusted key files (OpenPGP through {@code secure.openpgp}'s bounded
 * reader, X.509 and PKCS#12 through the JDK); a PKCS#12 password is read from standard input,
 * never from the command line. Private keys are printed nowhere: {@code keys export} writes
 * public parts only.
 *
 * <h2>Standards</h2>
 * draft-dkg-openpgp-stateless-cli (the {@code sop} subcommands and exit codes); RFC 2142
 * (postmaster@ and abuse@ aliases made by {@code quickstart}); RFC 7929 (OPENPGPKEY) and RFC 8162
 * (SMIMEA) records in {@code dns records}; RFC 7468 (PEM output).
 *
 * <h2>Configuration</h2>
 * {@code --config FILE} (default {@code $SEALPOST_CONFIG}, then {@code /etc/sealpost/sealpost.toml})
 * or {@code --data DIR} (whose {@code sealpost.toml}, written by the demo, is read when present);
 * {@code accounts.password_min_length}; {@code serve --port-offset N}; {@code quickstart} writes
 * the bundled {@code conf/sealpost.toml} with its values filled in.
 */
package dev.sealpost.app.cli;
