/**
 * End-to-end SMTP throughput measurement: a load generator ({@link dev.sealpost.bench.SmtpLoad})
 * and the meters it uses (CPU from {@code /proc}, delivery into a Sealpost mailbox or a Maildir).
 *
 * <p><b>Purpose.</b> Produces the figures in {@code docs/benchmarks.md}: messages per second accepted
 * (time of the last "250" after end of data) and delivered (time the last message is visible in the
 * mailbox), and CPU milliseconds per message, for the server process tree and for the whole machine.
 * The scripts {@code bench/run-smtp.sh} and {@code bench/run-postfix.sh} drive it. Nothing here is a
 * test: figures are printed, never asserted.
 *
 * <p><b>Security.</b> A client only: it talks SMTP to the host and port it is given (meant for
 * loopback), reads {@code /proc} and, with {@code --data}, opens the Sealpost store read-side
 * (SQLite in WAL mode is safe for a second process). Opening the store sweeps the blob temp
 * directory, so it is opened before any load starts. It parses only the server's SMTP replies,
 * bounded by a line-length limit.
 *
 * <p><b>Standards.</b> RFC 5321 (SMTP client side: EHLO, MAIL, RCPT, DATA, dot-stuffing, QUIT),
 * RFC 2920 (PIPELINING: MAIL, RCPT and DATA sent as one group when offered), RFC 5322 (the
 * generated header fields).
 *
 * <p><b>Configuration.</b> Command-line options only; see {@link dev.sealpost.bench.SmtpLoad}.
 */
package dev.sealpost.bench;
