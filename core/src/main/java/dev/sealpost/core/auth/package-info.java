/**
 * Password storage and login throttling.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.auth.PasswordHasher} derives what the directory stores for a
 * password (a PBKDF2 hash for plaintext logins, SCRAM StoredKey/ServerKey) and checks
 * passwords; {@link dev.sealpost.core.auth.LoginThrottle} delays answers to failed logins per
 * address and per account and blocks addresses that keep failing; the protocols reach it only
 * through {@code core.login.LoginGate}, one instance shared by SMTP, IMAP and POP3.
 *
 * <h2>Security</h2>
 * Handles secrets: passwords arrive as char arrays and are wiped by the callers after use;
 * hashes are compared in constant time. A decoy hash makes logins to unknown accounts cost
 * the same. The throttle's memory is bounded (oldest entries evicted), and its delay only ever
 * holds up failed attempts, so it cannot be used to lock a real user out of a correct login;
 * blocking is per address only. Reaches nothing outside the JVM.
 *
 * <h2>Standards</h2>
 * RFC 8018 (PBKDF2), RFC 2104 (HMAC), RFC 5802 §3 and RFC 7677 (SCRAM key derivation),
 * RFC 4013 (SASLprep, reduced to NFKC normalisation).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.core.auth.LoginThrottle.Settings}: free failures, base and maximum delay,
 * decay window, block threshold, map size (the app maps {@code auth.throttle.*} keys onto it).
 * Hash costs are constants in {@code PasswordHasher}. Verifications run on
 * {@link dev.sealpost.core.auth.PasswordWork}'s pool of platform threads (half the cores), one
 * at a time per client address, so that guessing cannot starve the virtual-thread carriers.
 */
package dev.sealpost.core.auth;
