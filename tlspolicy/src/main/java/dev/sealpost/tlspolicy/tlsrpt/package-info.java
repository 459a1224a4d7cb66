/**
 * SMTP TLS Reporting (RFC 8460): the reporting record, report JSON, aggregation and report mails.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.tlspolicy.tlsrpt.TlsRptRecord} parses {@code _smtp._tls.<domain>} records
 * (where to send reports); {@link dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector} counts our
 * outbound sessions' successes and failures per day, domain and policy and produces the daily
 * {@link dev.sealpost.tlspolicy.tlsrpt.TlsRptReport}s; {@link dev.sealpost.tlspolicy.tlsrpt.TlsRptReportJson}
 * writes and parses the JSON (with gzip and the §5.3 file name);
 * {@link dev.sealpost.tlspolicy.tlsrpt.TlsRptReportMail} builds the {@code multipart/report;
 * report-type="tlsrpt"} mail for {@code mailto:} destinations and reads reports others send us.
 *
 * <h2>Security</h2>
 * Parses untrusted DNS TXT data (4 KB, 32 fields, 10 URIs; fuzzed by {@code TlsRptRecordFuzzTest}),
 * report JSON (16 MiB decompressed, nesting depth 16, 10,000 policies, 100,000 failure details,
 * duplicate keys rejected; gzip bombs stop at the limit) and report mails (32 MiB, MIME depth 8).
 * Only {@code mailto:} and {@code https:} report URIs are accepted; a record with any other is
 * invalid. The collector is bounded (100,000 domains a day, 1,000 distinct failure details per
 * policy). Report mail header values are checked to be printable ASCII (no header injection).
 *
 * <h2>Standards</h2>
 * RFC 8460 §3 (record), §4.3 (result types), §4.4 (JSON), §5.3 (mail delivery: subject, headers,
 * file name, gzip), §6.4-6.5 (media types). Leniencies when reading: a missing summary count is 0,
 * {@code mx-host} given as a string is a one-element list, organization-name and contact-info may
 * be absent, unknown policy and result types are kept as strings. Not done: HTTPS POST delivery
 * (§5.3.2), DKIM-signing the report mail (the outbound path signs it), persisting counts and
 * received reports (store), the daily sending schedule (queue).
 *
 * <h2>Configuration</h2>
 * Our organisation name, contact address, submitter domain and report sender address are passed
 * to {@link dev.sealpost.tlspolicy.tlsrpt.TlsRptCollector#drain} and
 * {@link dev.sealpost.tlspolicy.tlsrpt.TlsRptReportMail#build} by the caller.
 */
package dev.sealpost.tlspolicy.tlsrpt;
