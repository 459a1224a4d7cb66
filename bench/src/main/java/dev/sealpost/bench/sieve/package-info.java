/**
 * Local delivery with and without a 50-rule Sieve script ({@link dev.sealpost.bench.sieve.SieveDeliveryBenchmark}).
 *
 * <p><b>Purpose.</b> The figures of "Sieve at delivery" in {@code docs/benchmarks.md}: messages per
 * second through {@code LocalDelivery} into a mailbox, with no script and with a 50-rule script,
 * and the script's own cost per message. Printed, never asserted.
 *
 * <p><b>Security.</b> Works in a temporary directory it creates and deletes; generated messages
 * and a generated script only; no network.
 *
 * <p><b>Standards.</b> RFC 5228 (the script), RFC 5490, RFC 5232, RFC 5231, RFC 5233 (its extensions).
 *
 * <p><b>Configuration.</b> Command-line arguments: messages per round and rounds.
 */
package dev.sealpost.bench.sieve;
