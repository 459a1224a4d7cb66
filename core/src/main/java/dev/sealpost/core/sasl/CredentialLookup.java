package dev.sealpost.core.sasl;

import java.util.Optional;

/** How SASL mechanisms find an account's stored credentials; implemented by the store's directory. */
@FunctionalInterface
public interface CredentialLookup {
    /**
     * @param username the authentication identity as the client sent it (an email address)
     * @return the canonical account name and its credentials, or empty when there is no such account
     */
    Optional<Account> lookup(String username);

    record Account(String name, StoredCredentials credentials) {}
}
