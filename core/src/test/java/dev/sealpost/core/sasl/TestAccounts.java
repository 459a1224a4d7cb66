package dev.sealpost.core.sasl;

import dev.sealpost.core.auth.PasswordHasher;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An in-memory directory for mechanism tests; low hash costs keep the tests fast. */
final class TestAccounts implements CredentialLookup {
    private final Map<String, Account> accounts = new HashMap<>();

    TestAccounts add(String name, String password) {
        return add(name, PasswordHasher.hash(password.toCharArray(), 1000, 4096));
    }

    TestAccounts add(String name, StoredCredentials c) {
        accounts.put(name.toLowerCase(Locale.ROOT), new Account(name, c));
        return this;
    }

    @Override
    public Optional<Account> lookup(String username) {
        return Optional.ofNullable(accounts.get(username.toLowerCase(Locale.ROOT)));
    }
}
