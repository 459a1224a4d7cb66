package dev.sealpost.web.api;

import dev.sealpost.store.ApiAccess;

import java.util.Locale;
import java.util.Set;

/**
 * Who a request acts as, after authentication: the account, and what it may do now: the
 * account's roles at this request capped by the token's scope (a Basic login has the full roles).
 *
 * @param address the canonical account address
 * @param admin   server admin: everything
 * @param domains the domains (A-labels) it is domain admin of
 * @param via     {@code basic}, {@code token} or {@code session} (the web admin's cookie)
 * @param scope   the token's scope, or null for a Basic login
 * @param tokenId the token's id, or 0 for a Basic login
 */
public record Principal(String address, boolean admin, Set<String> domains, String via, ApiAccess.Scope scope, long tokenId) {
    public Principal {
        domains = Set.copyOf(domains);
    }

    /** The account's roles as they are now, capped by a token scope (null: none, a Basic login). */
    public static Principal of(String address, ApiAccess.Roles roles, ApiAccess.Scope scope, long tokenId) {
        ApiAccess.Scope s = scope == null ? ApiAccess.Scope.ADMIN : scope;
        boolean admin = roles.admin() && s == ApiAccess.Scope.ADMIN;
        Set<String> domains = s == ApiAccess.Scope.SELF ? Set.of() : roles.domains();
        return new Principal(address, admin, domains, scope == null ? "basic" : "token", scope, tokenId);
    }

    /** The domain part of the account (A-label, lower case). */
    public String ownDomain() {
        return domainOf(address);
    }

    /** Whether this principal administers {@code domain} (server admins administer every domain). */
    public boolean administers(String domain) {
        return admin || domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    /** Whether this principal may see and manage {@code address}: an admin of its domain, or the account itself. */
    public boolean mayManage(String canonicalAddress) {
        return canonicalAddress.equalsIgnoreCase(address) || administers(domainOf(canonicalAddress));
    }

    /** Server admin or domain admin of at least one domain. */
    public boolean anyAdmin() {
        return admin || !domains.isEmpty();
    }

    /** The role as the API reports it: {@code admin}, {@code domain-admin} or {@code user}. */
    public String role() {
        return admin ? "admin" : domains.isEmpty() ? "user" : "domain-admin";
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address.toLowerCase(Locale.ROOT) : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
