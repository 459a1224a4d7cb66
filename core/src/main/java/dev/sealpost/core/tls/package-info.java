/**
 * Server-side TLS: one policy and one handshake path for every listener.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.tls.ServerTls} wraps the server {@code SSLContext} with a
 * {@link dev.sealpost.core.tls.TlsProfile} (modern, intermediate, legacy) and optional ALPN ids.
 * It layers TLS over an accepted socket (implicit TLS at connect; STARTTLS / STLS after the
 * protocol's go-ahead), runs the handshake with a read timeout and returns the result as a value
 * ({@code Established} with version, suite, ALPN and the RFC 9266 tls-exporter channel binding,
 * or {@code Failed} with a reason). The SMTP, IMAP and POP3 sessions and the HTTPS listener use
 * it; none configures TLS itself.
 *
 * <h2>Security</h2>
 * The handshake parses untrusted input (inside the JDK's JSSE). The policy: TLS 1.2 and 1.3 only;
 * with TLS 1.2 only ECDHE key exchange with AEAD ciphers (AES-GCM, ChaCha20-Poly1305), except
 * the legacy profile, which adds ECDHE with AES-CBC and is accepted only on the port-25 MX
 * listener (senders there fall back to cleartext when TLS fails); no static RSA, no DHE, no
 * ffdhe key shares; the server's cipher order wins. TLS 1.2 renegotiation started by a client is
 * refused through the JDK property set by {@link dev.sealpost.core.tls.ServerTls#rejectClientRenegotiation()}
 * at process start. The kit holds the context's private key only through the SSLContext it is given.
 *
 * <h2>Standards</h2>
 * RFC 8446 (TLS 1.3), RFC 5246 (TLS 1.2), RFC 8996 (TLS 1.0 and 1.1 deprecated), RFC 9325 (BCP
 * 195: versions §3.1.1, renegotiation §3.5, ALPN §3.8, cipher suites §4.1-§4.2), RFC 7905
 * (ChaCha20-Poly1305 for TLS 1.2), RFC 7301 (ALPN), RFC 9266 (tls-exporter channel binding),
 * RFC 8314 (implicit TLS). Mozilla server-side TLS guidelines 5.7 for the profile names and
 * suite lists. Not done: SNI-based certificate selection (one certificate per process), OCSP
 * stapling.
 *
 * <h2>Configuration</h2>
 * None here: the application builds one {@code ServerTls} per listener from {@code tls.profile}
 * and {@code tls.mx_profile} (see {@code conf/sealpost.toml}).
 */
package dev.sealpost.core.tls;
