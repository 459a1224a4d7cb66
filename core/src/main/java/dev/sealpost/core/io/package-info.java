/**
 * File durability helpers, the bounded line input of the protocol sessions, and the per-command
 * input deadline.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.io.Fsync}: fsync of files and directories and atomic durable
 * replacement of a file, for the spool, the blob store and state files.
 * {@link dev.sealpost.core.io.CommandDeadline}: a bound on the time one command may take to
 * arrive, shared by the SMTP, IMAP and POP3 readers (drip-fed "slowloris" clients).
 * {@link dev.sealpost.core.io.LineInput}: the bounded line reader of the line-oriented sessions
 * (SMTP's {@code SmtpInput}, POP3's {@code Pop3Input}, ManageSieve), with
 * {@link dev.sealpost.core.io.ByteScan} finding line ends eight octets at a time.
 * {@link dev.sealpost.core.io.LineOutput}: the buffered CRLF line writer of POP3 and ManageSieve.
 * {@link dev.sealpost.core.io.HeaderGuard}: the bound on a message's header section (octets and
 * fields), shared by SMTP DATA/BDAT and IMAP APPEND.
 *
 * <h2>Security</h2>
 * LineInput reads untrusted input: a line never holds more than its limit plus two octets, an
 * over-long line is discarded up to its LF, and nothing read before a TLS upgrade survives it
 * ({@code discardBuffered}). HeaderGuard reads untrusted message content one octet at a time
 * until the header section ends, holds nothing, and stops passing data on once a limit is
 * exceeded. LineOutput refuses a response line holding CR or LF (a value that would forge a
 * response). Otherwise parses no input. Writes only to the paths it is given; temporary files are created next to
 * the target with owner-only permissions (POSIX) and removed on failure. The deadline stream
 * reads untrusted input but only counts it; it changes only the socket's read timeout, and puts
 * the session's back after each read.
 *
 * <h2>Standards</h2>
 * POSIX fsync(2) and rename(2) semantics. RFC 5321 §4.5.3.2 (5 minutes per command);
 * RFC 5321 §2.3.8 (CRLF line ends), RFC 2920 §3 and RFC 2449 §6.6 (flush before blocking);
 * RFC 5322 §2.1, §2.2 and §3.6.8 (the header section, its fields and field names).
 *
 * <h2>Configuration</h2>
 * {@code smtp.command_deadline_seconds}, {@code smtp.min_data_rate} and
 * {@code pop3.command_deadline_seconds}, {@code imap.command_deadline_seconds} and
 * {@code managesieve.command_deadline_seconds}; {@code smtp.max_header_size},
 * {@code smtp.max_header_fields}, {@code imap.max_header_size} and {@code imap.max_header_fields}.
 */
package dev.sealpost.core.io;
