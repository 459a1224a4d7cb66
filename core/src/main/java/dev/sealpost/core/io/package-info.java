/**
 * File durability helpers and the per-command input deadline.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.io.Fsync}: fsync of files and directories and atomic durable
 * replacement of a file, for the spool, the blob store and state files.
 * {@link dev.sealpost.core.io.CommandDeadline}: a bound on the time one command may take to
 * arrive, shared by the SMTP, IMAP and POP3 readers (drip-fed "slowloris" clients).
 *
 * <h2>Security</h2>
 * Parses no input. Writes only to the paths it is given; temporary files are created next to
 * the target with owner-only permissions (POSIX) and removed on failure. The deadline stream
 * reads untrusted input but only counts it; it changes only the socket's read timeout, and puts
 * the session's back after each read.
 *
 * <h2>Standards</h2>
 * POSIX fsync(2) and rename(2) semantics. RFC 5321 §4.5.3.2 (5 minutes per command).
 *
 * <h2>Configuration</h2>
 * {@code smtp.command_deadline_seconds}, {@code smtp.min_data_rate} and
 * {@code pop3.command_deadline_seconds}; IMAP uses
 * {@link dev.sealpost.core.io.CommandDeadline.Settings#defaults()}.
 */
package dev.sealpost.core.io;
