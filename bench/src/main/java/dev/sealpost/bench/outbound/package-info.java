/**
 * Outbound (queue to remote MTA) throughput measurement: a counting SMTP sink, an injector and the
 * driver that ties them to a running Sealpost.
 *
 * <p><b>Purpose.</b> Produces the "Outbound delivery" figures ({@code bench/OUTBOUND.md}, merged
 * into {@code docs/benchmarks.md}): messages per second from the first message put into the MX
 * until a local sink has received all of them through the outbound queue, the TCP connections the
 * sink saw (messages per connection shows whether the queue reuses connections), and CPU
 * milliseconds per message. {@code bench/run-outbound.sh} drives it. Nothing here is a test:
 * figures are printed, never asserted.
 *
 * <p><b>Security.</b> The sink listens on 127.0.0.1 only, accepts anything and stores nothing
 * (message text is scanned for the end of data and dropped); command lines are bounded
 * ({@link dev.sealpost.bench.outbound.CountingSink#MAX_COMMAND}). The injector is a client that
 * talks only to the host and port it is given and parses replies with a line-length limit.
 * {@code /proc} is read for CPU time.
 *
 * <p><b>Standards.</b> RFC 5321 (both sides of a session: greeting, EHLO, MAIL, RCPT, DATA, RSET,
 * QUIT, end of data), RFC 2920 (PIPELINING: replies flushed when no command is buffered; the
 * injector sends MAIL, RCPT and DATA as one group), RFC 1870 (SIZE), RFC 6152 (8BITMIME),
 * RFC 2034 (ENHANCEDSTATUSCODES). The sink offers no STARTTLS: plain text, on purpose.
 *
 * <p><b>Configuration.</b> Command-line options only; see
 * {@link dev.sealpost.bench.outbound.OutboundLoad} and {@code bench/run-outbound.sh}.
 */
package dev.sealpost.bench.outbound;
