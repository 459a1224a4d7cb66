/**
 * Server-side SASL mechanisms (RFC 4422) shared by SMTP AUTH, IMAP AUTHENTICATE and POP3 AUTH.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.sasl.SaslMechanism} instances are built once
 * ({@link dev.sealpost.core.sasl.SaslMechanisms#standard}) and start one
 * {@link dev.sealpost.core.sasl.SaslExchange} per attempt. An exchange is a small state machine
 * over already base64-decoded client responses; each step is a value: Challenge, Success or
 * Failure (malformed input versus bad credentials). {@link dev.sealpost.core.sasl.SaslDialog}
 * runs one whole dialogue for every protocol over a small challenge/answer interface and
 * returns a sealed outcome (Authenticated, Failed, Malformed, Cancelled, TooManyRounds,
 * Disconnected); the protocols only frame challenges (SMTP {@code 334}, IMAP and POP3
 * {@code +}), reply, and log through {@code core.login.LoginGate}. All three send
 * {@code Success.finalData} (the SCRAM server-final message) as one more challenge and expect
 * an empty answer before their success reply (RFC 4954 §4, RFC 9051 §6.2.2, RFC 5034 §4);
 * IMAP does not use the tagged OK for it.
 *
 * <h2>Security</h2>
 * Parses untrusted input from unauthenticated clients: every response is bounded (4 KiB),
 * decoded as strict UTF-8, and any syntax error ends the exchange. Mechanisms reach only the
 * {@link dev.sealpost.core.sasl.CredentialLookup} they are given. No user enumeration: an
 * unknown account costs the same password hash (PLAIN, LOGIN) or gets a stable fake salt and
 * fails at the same step with the same reason (SCRAM). Passwords are kept in char arrays and
 * wiped after use, never logged. No proxy authorization: an authzid must name the
 * authenticated user. Password guessing is slowed by {@link dev.sealpost.core.auth.LoginThrottle}
 * through {@code core.login.LoginGate}. SCRAM-SHA-256-PLUS binds the exchange to the TLS
 * connection; a client flag {@code y} on a connection where -PLUS is advertised fails as a
 * downgrade (RFC 5802 §6). Where -PLUS is accepted but not advertised (the server's default,
 * see {@link dev.sealpost.core.sasl.SaslMechanisms#standard(CredentialLookup, boolean)}),
 * {@code y} is accepted: the client saw no -PLUS, so it is not a sign of tampering, and there
 * is no downgrade protection on such a connection. Dialogues are cut off after
 * {@link dev.sealpost.core.sasl.SaslDialog#MAX_ROUNDS} challenges.
 *
 * <h2>Standards</h2>
 * RFC 4422 (SASL), RFC 4616 (PLAIN), draft-murchison-sasl-login-00 (LOGIN), RFC 5802 (SCRAM),
 * RFC 7677 (SCRAM-SHA-256), RFC 5056 and RFC 9266 (channel binding, tls-exporter).
 * Not done: SASLprep of SCRAM user names (RFC 5802 §5.1; user names are email addresses and
 * are matched by the directory), OAUTHBEARER (RFC 7628, planned), SCRAM {@code e=} error
 * messages (failures are reported by the protocol's own failure reply).
 *
 * <h2>Configuration</h2>
 * None here. Which mechanisms may be used on a connection (none before TLS, unless the
 * operator allows it: {@code core.login.LoginPolicy}) is decided with
 * {@link dev.sealpost.core.sasl.SaslMechanisms#forConnection}, which of them are listed with
 * {@link dev.sealpost.core.sasl.SaslMechanisms#advertised} (the app's
 * {@code server.advertise_scram_plus}, default false); SCRAM iteration
 * counts come from the stored credentials ({@link dev.sealpost.core.auth.PasswordHasher}).
 */
package dev.sealpost.core.sasl;
