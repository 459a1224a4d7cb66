/**
 * JMH micro-benchmarks of DKIM signing and verification (RSA-2048 and Ed25519, 4 KiB and
 * 100 KiB messages) and of their parts (body hash, message parse, bare signature).
 *
 * <p><b>Purpose.</b> Produces the "DKIM sign and verify (JMH)" figures in
 * {@code docs/benchmarks.md}: operations per second on one thread, next to {@code openssl speed}
 * run on the same machine by {@code bench/run-dkim.sh}. Nothing here is a test: figures are
 * printed, never asserted. {@link dev.sealpost.bench.dkim.DkimBenchmark} measures whole
 * messages, {@link dev.sealpost.bench.dkim.DkimPartsBenchmark} the pieces,
 * {@link dev.sealpost.bench.dkim.DkimProviderBenchmark} the bare signature with Bouncy Castle
 * instead of the JDK, and
 * {@link dev.sealpost.bench.dkim.DkimFixtures} builds keys, key records and messages once.
 *
 * <p><b>Security.</b> Keys are generated fresh in each benchmark fork and never written out. No
 * network: key records are served from memory by {@link dev.sealpost.dns.ZoneResolver}; the
 * clock is fixed, so {@code t=} and expiry checks do not depend on when the run happens.
 *
 * <p><b>Standards.</b> RFC 6376 (DKIM: relaxed/relaxed, default signed fields, From, Subject,
 * To and Date oversigned), RFC 8301 (rsa-sha256, 2048-bit keys), RFC 8463 (ed25519-sha256),
 * RFC 2045 (the MIME test messages).
 *
 * <p><b>Configuration.</b> JMH options on the command line of {@code org.openjdk.jmh.Main}
 * ({@code bench/run-dkim.sh} passes {@code -f 1 -wi 3 -i 5 -w 2s -r 3s -t 1} by default; see
 * the script for its environment variables); message sizes are the {@code size} parameter
 * ({@code -p size=4096,102400}).
 */
package dev.sealpost.bench.dkim;
