package dev.sealpost.store;

import java.util.Optional;

/**
 * One optional TOTP secret per account (RFC 6238), the second factor of the web login
 * (migration V18). The secret is sealed under the key-encryption key at rest and is handed out
 * only to the code that checks a code; the last accepted time step is kept so a code is
 * accepted once (RFC 6238 §5.2).
 */
public interface TotpSecrets {
    /** The secret and the last time step a code was accepted for (-1 before the first). */
    record Secret(byte[] key, long lastStep) {}

    /**
     * Stores {@code key} as the account's secret, replacing any earlier one.
     *
     * @throws DirectoryException when there is no such account
     */
    void set(String address, byte[] key);

    /** Removes the account's secret; false when it had none. */
    boolean remove(String address);

    /** The account's secret, opened, or empty when it has none. */
    Optional<Secret> get(String address);

    /** Whether the account has a secret (without opening it). */
    boolean enabled(String address);

    /**
     * Records that a code for {@code step} was accepted, only if {@code step} is later than the
     * last one: false when it is not (a replay), in one write so two logins racing with the same
     * code cannot both win.
     */
    boolean advance(String address, long step);
}
