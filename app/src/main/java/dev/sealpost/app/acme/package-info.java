/**
 * Certificates from an ACME certification authority (RFC 8555), on acme4j.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.app.acme.AcmeCertificates} obtains the server's certificate at start and
 * renews it at two thirds of its lifetime (with exponential backoff after a failure), writes the
 * chain and key into {@code <data_dir>/acme/} and swaps them into the reloadable TLS context
 * ({@code dev.sealpost.app.tls.TlsFiles.Reloadable}): SMTP, submission, IMAP, POP3, ManageSieve and
 * HTTPS hand the new certificate to new handshakes without a restart; connections in progress
 * keep theirs. {@link dev.sealpost.app.acme.AcmeChallenges} holds what the CA's validation
 * fetches while an order is pending: HTTP-01 key authorizations (served by the web module's
 * HTTP listener) and TLS-ALPN-01 certificates (RFC 8737, served by the HTTPS listener's key manager).
 *
 * <h2>Security</h2>
 * Talks HTTPS to the configured directory only (the JDK trust store, or {@code acme.trust_ca}
 * alone). The account key and the certificate key are written with mode 0600. The certificate key
 * is kept across renewals (DANE "3 1 1" records stay valid, RFC 7671 §8.1) unless
 * {@code acme.roll_key}. Challenge answers are public by design (RFC 8555 §8.1) and removed when
 * the authorization is settled. Bouncy Castle is registered as a JCA provider (acme4j needs "BC").
 *
 * <h2>Standards</h2>
 * RFC 8555 (ACME: account, order, HTTP-01 §8.3, finalize with a CSR), RFC 8737 (TLS-ALPN-01).
 *
 * <h2>Configuration</h2>
 * {@code [acme]}: enabled, directory, contact, trust_ca, names, challenge, roll_key.
 */
package dev.sealpost.app.acme;
