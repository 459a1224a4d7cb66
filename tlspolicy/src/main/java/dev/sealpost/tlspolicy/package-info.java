/**
 * Outbound transport security policy: which TLS a connection to a recipient's MX must have.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.tlspolicy.TransportPolicy#decide} combines the DANE look-up for an MX host
 * ({@code dane}) and the recipient domain's MTA-STS policy ({@code mtasts}) into one value the SMTP
 * client acts on: DANE where it applies, else MTA-STS, else opportunistic TLS; defer on a failed
 * TLSA look-up; skip an MX an enforced MTA-STS policy does not list. Outcomes are recorded for
 * TLS reports ({@code tlsrpt}). {@link dev.sealpost.tlspolicy.TrustStores} builds the WebPKI trust
 * (JDK CAs plus extra PEM CAs) used for MTA-STS.
 *
 * <h2>Security</h2>
 * This package parses nothing itself; its sub-packages parse untrusted DNS records, HTTPS bodies,
 * certificates and report mails, each bounded. Its decisions are what stop a downgrade to
 * cleartext or to an unauthenticated peer, so every "fail" path is a value the caller must handle.
 *
 * <h2>Standards</h2>
 * RFC 7672 (DANE for SMTP), RFC 6698 / RFC 7671 (DANE TLSA), RFC 8461 (MTA-STS), RFC 8460
 * (TLS-RPT), RFC 7435 (opportunistic security).
 *
 * <h2>Configuration</h2>
 * Extra CA files for WebPKI validation ({@code --tls-ca FILE}) go through
 * {@link dev.sealpost.tlspolicy.TrustStores#readCertificates}; everything else is per sub-package.
 */
package dev.sealpost.tlspolicy;
