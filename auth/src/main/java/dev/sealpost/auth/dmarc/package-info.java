/**
 * DMARC: policy records, evaluation, and aggregate reports.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.auth.dmarc.DmarcEvaluator} decides DMARC for a received message from its
 * RFC5322.From domain ({@link dev.sealpost.auth.dmarc.FromDomain}) and the SPF / DKIM identifiers
 * that passed ({@link dev.sealpost.auth.dmarc.AuthIdentity}): policy discovery at
 * {@code _dmarc.<From domain>} then {@code _dmarc.<Organizational Domain>} (Public Suffix List),
 * relaxed/strict alignment, {@code p}/{@code sp}/{@code np}, {@code pct} sampling, and the
 * external report destination check. The outcome ({@link dev.sealpost.auth.dmarc.DmarcOutcome})
 * is a value; what to do with it (reject, quarantine, record for reports) is the inbound policy's
 * decision. {@link dev.sealpost.auth.dmarc.DmarcAggregateReport} and
 * {@link dev.sealpost.auth.dmarc.DmarcReportXml} write our daily aggregate reports and parse
 * received ones ({@link dev.sealpost.auth.dmarc.DmarcReportMail} finds them in report mails).
 *
 * <h2>Security</h2>
 * Parses untrusted input: DNS TXT records, From header fields, report XML and report mails.
 * Every parser is bounded (record 8 KB / 64 tags / 10 URIs; From 16 KB / 100 addresses; report
 * 32 MB decompressed, 200,000 records, no DTDs or entities, so no XXE); the record parser is
 * fuzzed ({@code DmarcRecordFuzzTest}). DNS work per message: two TXT queries, plus A/AAAA/MX on
 * the From domain only for a failing message whose record sets {@code np}.
 *
 * <h2>Standards</h2>
 * RFC 7489 (DMARC) §3.1 alignment, §3.2 Organizational Domain, §6.3-6.4 record, §6.6 evaluation,
 * §7.1 external destinations, §7.2 / Appendix C aggregate reports; DMARCbis where it clarifies:
 * {@code np} and non-existent domains (as RFC 9091 §2.7: NXDOMAIN or no data for A, AAAA and MX),
 * {@code envelope_from}, {@code generator}, namespaced reports. Not done: DMARCbis DNS tree walk
 * (the PSL is used), {@code t=}/{@code psd=} tags, failure reports (RFC 6591), evaluating each
 * domain of a multi-address From.
 *
 * <h2>Configuration</h2>
 * The Public Suffix List file (see {@link dev.sealpost.dns.PublicSuffixList}); the evaluator's
 * clock and random source are injected. Report sending (who we are, schedule) is configured
 * where reports are generated.
 */
package dev.sealpost.auth.dmarc;
