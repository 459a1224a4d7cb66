/**
 * TLS key material.
 *
 * <h2>Purpose</h2>
 * Loads a PEM certificate chain and private key into a server {@code SSLContext}; writes
 * self-signed certificates for the demo and the tests (with both {@code DNS:127.0.0.1} and
 * {@code IP:127.0.0.1}, which some clients need).
 *
 * <h2>Security</h2>
 * Private keys are written with mode 0600, durably. Protocol versions and cipher suites are
 * {@code dev.sealpost.core.tls.ServerTls}'s (tls.profile, tls.mx_profile), not set here. The only module that uses BouncyCastle (for PEM and certificate
 * building) until the {@code smime} module exists.
 *
 * <h2>Standards</h2>
 * RFC 5280 (subjectAltName), RFC 7468 (PEM), RFC 8737 (the reloadable key manager hands the
 * TLS-ALPN-01 challenge certificate to handshakes that negotiated {@code acme-tls/1}, see
 * {@code dev.sealpost.app.acme}).
 *
 * <h2>Configuration</h2>
 * {@code tls.certificate}, {@code tls.private_key} (with {@code acme.enabled}: {@code <data_dir>/acme/}).
 */
package dev.sealpost.app.tls;
