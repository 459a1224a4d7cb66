package dev.sealpost.core.sasl;

/**
 * What the directory keeps for one account's password: never the password itself.
 *
 * @param passwordHash  a self-describing slow hash, e.g. {@code pbkdf2-sha256$310000$<salt b64>$<hash b64>}
 *                      (see {@link dev.sealpost.core.auth.PasswordHasher})
 * @param scramSalt     SCRAM-SHA-256 salt (RFC 5802 §3)
 * @param scramIterations SCRAM iteration count (RFC 7677: at least 4096)
 * @param scramStoredKey  StoredKey = H(ClientKey)
 * @param scramServerKey  ServerKey = HMAC(SaltedPassword, "Server Key")
 */
public record StoredCredentials(String passwordHash, byte[] scramSalt, int scramIterations,
                                byte[] scramStoredKey, byte[] scramServerKey) {}
