package dev.sealpost.store;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.core.sasl.CredentialLookup;

import java.util.List;
import java.util.Optional;

/**
 * Domains, accounts and aliases: who is local, who receives what, who may send as whom.
 * Addresses are compared case-insensitively ({@link EmailAddress#canonical()}); domains are kept
 * in A-label form. Changes go through the store's single writer and are durable on return.
 */
public interface Directory {

    /** Adds a local domain (U-label or A-label; stored as A-label). @throws DirectoryException when invalid or present */
    void addDomain(String domain);

    /**
     * Removes a local domain and the aliases whose source is in it.
     *
     * @return false when there was no such domain
     * @throws DirectoryException while accounts exist in the domain
     */
    boolean removeDomain(String domain);

    /** Local domains (A-labels), sorted. */
    List<String> domains();

    /** True when {@code asciiDomain} (A-label, any case) is a local domain. */
    boolean isLocalDomain(String asciiDomain);

    /**
     * Creates an account with its mailboxes: INBOX, and Sent, Drafts, Junk, Trash, Archive with
     * their RFC 6154 special-use attributes.
     *
     * @throws DirectoryException when the address is invalid, its domain is not local, or it exists
     */
    Account addAccount(String address, char[] password);

    /** @throws DirectoryException when there is no such account */
    void setPassword(String address, char[] password);

    /** Removes the account with its mailboxes and messages. @return false when there was no such account */
    boolean removeAccount(String address);

    /** All accounts, sorted by address. */
    List<Account> accounts();

    Optional<Account> account(String address);

    /** Sets the quota in bytes, 0 for unlimited. @throws DirectoryException when there is no such account */
    void setQuota(String address, long bytes);

    /**
     * Adds an alias.
     *
     * @param source {@code local@domain} or {@code @domain} (catch-all), in a local domain
     * @param target any address, local or remote
     * @throws DirectoryException when malformed, not local, or present already
     */
    void addAlias(String source, String target);

    boolean removeAlias(String source, String target);

    /** All aliases, sorted by source then target. */
    List<Alias> aliases();

    /**
     * Resolves a recipient: the exact account and the exact aliases' expansions (recursively,
     * depth at most 10, loops ignored, duplicates removed); when the full address is unknown,
     * the address without its {@code +tag} (RFC 5233 subaddress); then the domain's catch-all.
     * Empty lists when nothing matches (also for non-local domains).
     */
    Resolution resolve(EmailAddress rcpt);

    /**
     * True when {@code accountAddress} may use {@code from} as envelope or header sender: its own
     * address (also with a {@code +tag}), or an exact alias (not a catch-all) whose expansion
     * includes the account.
     */
    boolean maySendAs(String accountAddress, EmailAddress from);

    /** The SASL credential look-up: canonical account address and stored credentials. */
    CredentialLookup credentials();

    /**
     * Verifies a password for a plaintext mechanism; costs the same time for unknown accounts.
     *
     * @return the account when the password matches
     */
    Optional<Account> authenticate(String address, char[] password);

    /**
     * An account.
     *
     * @param quotaBytes 0 for unlimited
     * @param usedBytes  sum of the sizes of the messages stored for the account
     */
    record Account(long id, String address, long quotaBytes, long usedBytes) {
        /** True when storing {@code size} more bytes would exceed the quota. */
        public boolean wouldExceedQuota(long size) {
            return quotaBytes > 0 && usedBytes + size > quotaBytes;
        }
    }

    /** @param source {@code local@domain} or {@code @domain}; @param target an address */
    record Alias(String source, String target) {}

    /**
     * @param accounts        local accounts to deliver to, no duplicates
     * @param remoteAddresses non-local addresses to forward to, no duplicates
     */
    record Resolution(List<Account> accounts, List<String> remoteAddresses) {
        public Resolution {
            accounts = List.copyOf(accounts);
            remoteAddresses = List.copyOf(remoteAddresses);
        }

        public boolean isEmpty() {
            return accounts.isEmpty() && remoteAddresses.isEmpty();
        }
    }
}
