package dev.sealpost.store;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.core.sasl.CredentialLookup;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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

    // ---- DKIM signing keys (RFC 6376, RFC 8463) ----

    /** Key state: signs new mail. */
    String DKIM_ACTIVE = "active";
    /** Key state: no longer signs; its record stays published so that mail in transit still verifies. */
    String DKIM_RETIRING = "retiring";
    /** Key state: no longer signs; its record may be removed from DNS. */
    String DKIM_RETIRED = "retired";
    /** The {@code a=} values a stored key may have. */
    List<String> DKIM_ALGORITHMS = List.of("rsa-sha256", "ed25519-sha256");
    /** The key states. */
    List<String> DKIM_STATES = List.of(DKIM_ACTIVE, DKIM_RETIRING, DKIM_RETIRED);

    /**
     * Stores a new DKIM signing key, active.
     *
     * @param domain       a local domain (U-label or A-label)
     * @param selector     RFC 6376 §3.1 selector: dot-separated RFC 5321 sub-domain labels; stored in lower case
     * @param algorithm    {@code rsa-sha256} or {@code ed25519-sha256}
     * @param pkcs8        the private key, PKCS#8 DER (a secret: never logged)
     * @param publicRecord the TXT value to publish at {@code <selector>._domainkey.<domain>}
     * @throws DirectoryException when the domain is not local, the selector or algorithm is invalid,
     *                            or the domain has a key with this selector already
     */
    DkimKey addDkimKey(String domain, String selector, String algorithm, byte[] pkcs8, String publicRecord);

    /** Every key of a domain in every state, oldest first; empty for a domain that is not local. */
    List<DkimKey> dkimKeys(String domain);

    /** The keys to sign a domain's mail with (state active), oldest first; empty for a domain that is not local. */
    List<DkimKey> signingKeys(String domain);

    /**
     * Changes a key's state ({@link #DKIM_STATES}); leaving {@code active} records the time.
     *
     * @return false when there is no such key
     * @throws DirectoryException when the state is unknown
     */
    boolean setDkimKeyState(String domain, String selector, String state);

    /** Deletes a key (whatever its state: callers decide). @return false when there was no such key */
    boolean removeDkimKey(String domain, String selector);

    /**
     * A DKIM signing key.
     *
     * @param domain          A-label
     * @param selector        lower case
     * @param algorithm       {@code rsa-sha256} or {@code ed25519-sha256}
     * @param privateKeyPkcs8 PKCS#8 DER; a secret ({@link #toString()} leaves it out)
     * @param publicRecord    the TXT value to publish at {@code <selector>._domainkey.<domain>}
     * @param state           {@code active}, {@code retiring} or {@code retired}
     */
    record DkimKey(long id, String domain, String selector, String algorithm, byte[] privateKeyPkcs8,
                   String publicRecord, String state, Instant createdAt) {
        public DkimKey {
            Objects.requireNonNull(privateKeyPkcs8);
            privateKeyPkcs8 = privateKeyPkcs8.clone();
        }

        @Override
        public byte[] privateKeyPkcs8() {
            return privateKeyPkcs8.clone();
        }

        /** The DNS name of the key record: {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.2.1). */
        public String recordName() {
            return selector + "._domainkey." + domain;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DkimKey k && k.id == id && k.domain.equals(domain) && k.selector.equals(selector)
                    && k.algorithm.equals(algorithm) && Arrays.equals(k.privateKeyPkcs8, privateKeyPkcs8)
                    && k.publicRecord.equals(publicRecord) && k.state.equals(state) && k.createdAt.equals(createdAt);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id) * 31 + selector.hashCode();
        }

        /** Without the private key. */
        @Override
        public String toString() {
            return "DkimKey[" + recordName() + ", " + algorithm + ", " + state + ", created " + createdAt + "]";
        }
    }

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
