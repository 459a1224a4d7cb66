/**
 * Reports we send about mail we received: the daily DMARC aggregate reports
 * ({@link dev.sealpost.queue.reports.DmarcReportSender}).
 *
 * <h2>Purpose</h2>
 * The MX records one observation per DMARC-evaluated message in the store
 * ({@code Store.reports()}, aggregated per UTC day and identical evaluation). After each UTC day
 * ends, the sender builds one RFC 7489 Appendix C report per policy domain, gzips it, and spools
 * a report mail to each {@code mailto:} address of the domain's current {@code rua}; the day is
 * then marked reported in the store, so restarts never report it twice.
 *
 * <h2>Security</h2>
 * The destinations come from DNS (untrusted): only {@code mailto:} URIs whose address parses
 * and is plain ASCII are used (no header injection through %-encoded CR LF), and a destination
 * outside the policy domain's Organizational Domain must authorize it with
 * {@code <policy-domain>._report._dmarc.<destination>} (RFC 7489 §7.1) — otherwise anyone could
 * publish a record that makes us mail third parties. {@code !size} limits are honoured by not
 * sending. Reports carry only what DMARC reports are meant to: source IPs, domains and results;
 * no local parts, no envelope recipients. Reaches: the store and the resolver.
 *
 * <h2>Standards</h2>
 * RFC 7489 §7.1 (external destinations, including the override of step 7), §7.2 and
 * Appendix C (aggregate reports), §7.2.1.1 (gzip, file name, subject, UTC day boundaries);
 * DMARCbis {@code np}, {@code envelope_from} and {@code generator}; RFC 3834 (Auto-Submitted).
 * Not done: failure reports (RFC 6591 ARF, {@code ruf}), {@code https} report URIs, intervals
 * other than a day ({@code ri} is treated as 86400, which RFC 7489 §7.2.2 allows).
 *
 * <h2>Configuration</h2>
 * {@code [auth]} {@code dmarc_reports} (on/off; off also stops recording observations) and
 * {@code report_from} (the From and MAIL FROM of reports; its domain is the Submitter).
 */
package dev.sealpost.queue.reports;
