/**
 * Threat protection (issue 14): a message is run through named checks; each check that fires adds
 * a {@link dev.sealpost.filter.Hit} (name, weight, detail); the weights are summed into a score and
 * mapped to a {@link dev.sealpost.filter.Verdict} ({@code reject}, {@code quarantine}, {@code junk},
 * {@code inbox}) that is explained hit by hit, in the {@code X-Spam-Status} header, the log and the
 * message trace.
 *
 * <p><b>Security:</b> every input here is untrusted (message bytes, attachment contents, file names,
 * link targets, display names). Checks are bounded in time and memory by their own limits (archive
 * depth, sizes, ratios, counts) and never throw on bad input: a malformed part is itself a finding.
 * The package does no network I/O; lookups (DNSBL, clamd) are given to it as interfaces by the
 * caller, which owns resolver and connection policy.
 *
 * <p><b>Standards:</b> the header format follows SpamAssassin's {@code X-Spam-Status} /
 * {@code X-Spam-Flag} convention, which mail clients already read.
 *
 * <p><b>Configuration:</b> {@code [filter]} in {@code sealpost.toml} (weights and thresholds).
 */
package dev.sealpost.filter;
