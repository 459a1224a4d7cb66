/**
 * Login rules shared by every protocol that logs users in (SMTP AUTH, IMAP LOGIN and
 * AUTHENTICATE, POP3 USER/PASS and AUTH; ManageSieve later).
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.login.LoginPolicy#mayAuthenticate} is the one rule for "may this
 * connection log in now?" (TLS, or an operator's explicit exception), for every mechanism
 * alike. {@link dev.sealpost.core.login.LoginGate} wraps the shared
 * {@link dev.sealpost.core.auth.LoginThrottle} and writes one log line per attempt
 * ({@code auth failed|refused|ok proto= mech= user= ip= reason= session=}) that fail2ban can
 * match. The SASL dialogue itself is {@link dev.sealpost.core.sasl.SaslDialog}.
 *
 * <h2>Security</h2>
 * Handles the outcome of logins from unauthenticated clients. Never sees or logs passwords;
 * the user name logged is the one claimed, percent-encoded so that it cannot add or forge
 * fields in the line, and cut at 256 characters (a user who types the password into the name
 * field will see it logged: the same trade-off as Postfix and Dovecot). Replies are the
 * protocols', with one text for an unknown user and a wrong password. The throttle's delay
 * only holds up failed attempts. Reaches nothing but the logger and the throttle.
 *
 * <h2>Standards</h2>
 * RFC 8314 §3 (no cleartext login), RFC 4954 §4 and §6 (SMTP 538 5.7.11), RFC 9051 §6.2.3 and
 * RFC 3501 §6.2.3 (LOGINDISABLED, PRIVACYREQUIRED), RFC 2595 §2.1 and RFC 5034 (POP3).
 *
 * <h2>Configuration</h2>
 * {@code smtp|imap|pop3.allow_plaintext_auth} (the {@code allowAuthWithoutTls} argument),
 * default false; throttle settings in {@link dev.sealpost.core.auth.LoginThrottle.Settings}.
 * The log line goes to the SLF4J logger {@code dev.sealpost.login} at INFO.
 */
package dev.sealpost.core.login;
