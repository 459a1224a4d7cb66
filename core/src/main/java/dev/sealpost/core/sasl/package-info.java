/**
 * Server-side SASL mechanisms (RFC 4422) shared by SMTP AUTH, IMAP AUTHENTICATE and POP3 AUTH.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.sasl.SaslMechanism} instances are built once
 * ({@link dev.sealpost.core.sasl.SaslMechanisms#standard}) and start one
 * {@link dev.sealpost.core.sasl.SaslExchange} per attempt. An exchange is a small state machine
 * over already base64-decoded client responses; each step is a value: Challenge, Success or
 * Failure (malformed input versus bad credentials). Protocols do the base64 and the framing.
 * Where a protocol cannot carry data with its success reply (SMTP 235, RFC 4954 §4), it sends
 * {@code Success.finalData} (the SCRAM server-final message) as one more challenge and expects
 * an empty response before replying success; IMAP can put it in the tagged OK (RFC 9051 §6.2.2).
 *
 * <h2>Security</h2>
 * Parses untrusted input from unauthenticated clients: every response is bounded (4 KiB),
 * decoded as strict UTF-8, and any syntax error ends the exchange. Mechanisms reach only the
 * {@link dev.sealpost.core.sasl.CredentialLookup} they are given. No user enumeration: an
 * unknown account costs the same password hash (PLAIN, LOGIN) or gets a stable fake salt and
 * fails at the same step with the same reason (SCRAM). Passwords are kept in char arrays and
 * wiped after use, never logged. No proxy authorization: an authzid must name the
 * authenticated user. Password guessing is slowed by {@link dev.sealpost.core.auth.LoginThrottle},
 * which the protocols call. SCRAM-SHA-256-PLUS binds the exchange to the TLS connection;
 * a client flag {@code y} on a connection where -PLUS is offered fails as a downgrade.
 *
 * <h2>Standards</h2>
 * RFC 4422 (SASL), RFC 4616 (PLAIN), draft-murchison-sasl-login-00 (LOGIN), RFC 5802 (SCRAM),
 * RFC 7677 (SCRAM-SHA-256), RFC 5056 and RFC 9266 (channel binding, tls-exporter).
 * Not done: SASLprep of SCRAM user names (RFC 5802 §5.1; user names are email addresses and
 * are matched by the directory), OAUTHBEARER (RFC 7628, planned), SCRAM {@code e=} error
 * messages (failures are reported by the protocol's own failure reply).
 *
 * <h2>Configuration</h2>
 * None here. Which mechanisms are offered on a connection (plaintext ones only over TLS) is
 * decided with {@link dev.sealpost.core.sasl.SaslMechanisms#forConnection}; SCRAM iteration
 * counts come from the stored credentials ({@link dev.sealpost.core.auth.PasswordHasher}).
 */
package dev.sealpost.core.sasl;
