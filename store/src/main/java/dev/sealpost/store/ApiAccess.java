package dev.sealpost.store;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what through the admin API (migration V14): account roles beyond "user" and the
 * bearer tokens made with {@code sealpost token create}. Storage only: the rules (what each role
 * may touch) live in the web module's API package. Tokens are kept as their SHA-256 only.
 * Writes go through the group-commit writer and are committed on return.
 */
public interface ApiAccess {

    /** The most a token may do; it never exceeds the account's roles at the time of the request. */
    enum Scope {
        /** Everything the account's roles allow. */
        ADMIN,
        /** Domain-admin rights over the account's domains (no server-admin rights). */
        DOMAIN,
        /** The account itself only. */
        SELF;

        /** The stored and command-line name: {@code admin}, {@code domain}, {@code self}. */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Scope> of(String s) {
            if (s == null) return Optional.empty();
            for (Scope v : values()) if (v.token().equalsIgnoreCase(s.strip())) return Optional.of(v);
            return Optional.empty();
        }
    }

    /**
     * An account's roles: {@code admin} (server admin) and the domains it is domain admin of
     * (A-labels). Neither: a plain user, who may manage only itself.
     */
    record Roles(boolean admin, Set<String> domains) {
        public static final Roles USER = new Roles(false, Set.of());

        public Roles {
            domains = Set.copyOf(domains);
        }

        /** {@code admin}, {@code domain-admin:D} ..., or {@code user}. */
        public String describe() {
            if (admin) return domains.isEmpty() ? "admin" : "admin, " + String.join(", ", domains.stream().sorted().map(d -> "domain-admin:" + d).toList());
            if (domains.isEmpty()) return "user";
            return String.join(", ", domains.stream().sorted().map(d -> "domain-admin:" + d).toList());
        }
    }

    /** One stored token (never the token itself). */
    record Token(long id, String address, String name, Scope scope, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** The roles of an account (canonical address); {@link Roles#USER} for an account without any, or none at all. */
    Roles roles(String address);

    /** Every account that has a role: address to roles, sorted by address. */
    java.util.SortedMap<String, Roles> roleHolders();

    /** Makes the account a server admin. @throws DirectoryException when there is no such account */
    void grantAdmin(String address);

    /** Makes the account a domain admin of {@code domain} (a local domain, A-label). @throws DirectoryException when either is missing */
    void grantDomainAdmin(String address, String domain);

    /** Removes every role: the account becomes a plain user. @throws DirectoryException when there is no such account */
    void clearRoles(String address);

    /**
     * Stores a new token for the account.
     *
     * @param sha256 the SHA-256 of the token text (32 bytes)
     * @throws DirectoryException when there is no such account
     */
    Token addToken(String address, String name, Scope scope, byte[] sha256);

    /** The account's tokens, revoked ones too, oldest first. */
    List<Token> tokens(String address);

    /** The token with this hash, revoked or not. */
    Optional<Token> tokenByHash(byte[] sha256);

    /** Revokes a token at {@code at}. @return false when there is no such token or it was revoked already */
    boolean revokeToken(long id, Instant at);

    /** Records that the token authenticated a request at {@code at}. */
    void tokenUsed(long id, Instant at);
}
