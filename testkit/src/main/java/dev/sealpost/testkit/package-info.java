/**
 * Test fixtures shared by several modules' tests.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.testkit.TestDnsServer}, an authoritative DNS server on 127.0.0.1 (UDP and
 * TCP, ephemeral port) that can sign its zone for DNSSEC tests, and
 * {@link dev.sealpost.testkit.TestCerts}, CA, intermediate and leaf certificates made with
 * BouncyCastle; {@link dev.sealpost.testkit.TestTls}, one self-signed certificate and the TLS
 * contexts around it; {@link dev.sealpost.testkit.MutableClock}, a pinned clock moved by hand;
 * {@link dev.sealpost.testkit.Peers}, which skips a test whose interop peer is missing (a failure
 * under {@code SEALPOST_REQUIRE_INTEROP=1}) and runs peers with a time limit;
 * {@link dev.sealpost.testkit.SharedSuite}, which finds the shared conformance suites from any
 * checkout or worktree and fails (never skips) when one is missing;
 * {@link dev.sealpost.testkit.ScramClient}, a SCRAM-SHA-256 client. Used at test scope only; never
 * part of {@code dist/}.
 *
 * <h2>Security</h2>
 * Test code: listens on loopback only, makes throw-away keys, runs the peer programs it is given.
 *
 * <h2>Standards</h2>
 * RFC 1035, RFC 4033-4035 (signing), RFC 5280 (certificates).
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.testkit;
