package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.ApiAccess;
import dev.sealpost.store.Store;
import dev.sealpost.web.api.ApiToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;

/**
 * {@code sealpost token create|list|revoke}: bearer tokens for the admin API (docs/api.md). The
 * token is printed once, on the last line of {@code create}'s output; only its SHA-256 is stored.
 */
@Command(name = "token", description = "Manage bearer tokens for the admin API (/api/v1).", mixinStandardHelpOptions = true)
public final class TokenCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "create", description = "Make a token for ADDRESS and print it once (its last line). A scope caps what it may do:"
            + " admin (all the account's roles), domain (domain-admin rights only), self (the account only).")
    int create(@Parameters(paramLabel = "ADDRESS") String address,
               @Option(names = "--scope", paramLabel = "SCOPE", description = "admin, domain or self (default: the account's highest role)") String scope,
               @Option(names = "--name", paramLabel = "NAME", defaultValue = "", description = "A label to tell tokens apart, e.g. the script using it.") String name) {
        String a = AccountCommand.canonical(address);
        if (name.length() > 100) throw new Main.UserError("--name: at most 100 characters");
        try (Store s = store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no such account: " + a);
            ApiAccess.Roles roles = s.apiAccess().roles(a);
            ApiAccess.Scope sc;
            if (scope == null) {
                sc = roles.admin() ? ApiAccess.Scope.ADMIN : !roles.domains().isEmpty() ? ApiAccess.Scope.DOMAIN : ApiAccess.Scope.SELF;
            } else {
                sc = ApiAccess.Scope.of(scope).orElseThrow(() -> new Main.UserError("--scope: expected admin, domain or self, got '" + scope + "'"));
            }
            if (sc == ApiAccess.Scope.ADMIN && !roles.admin() && roles.domains().isEmpty()) {
                throw new Main.UserError(a + " is a plain user: --scope admin would give nothing more than self (grant a role with 'sealpost account role')");
            }
            if (sc == ApiAccess.Scope.DOMAIN && roles.domains().isEmpty()) {
                throw new Main.UserError(a + " is not a domain admin: --scope domain would give nothing more than self");
            }
            String token = ApiToken.generate();
            ApiAccess.Token t = s.apiAccess().addToken(a, name, sc, ApiToken.hash(token));
            System.out.println("created token " + t.id() + " for " + a + " (scope " + sc.token() + ", roles " + roles.describe()
                    + "); it is shown only now, revoke it with 'sealpost token revoke " + t.id() + "':");
            System.out.println(token);
        }
        return 0;
    }

    @Command(name = "list", description = "List ADDRESS's tokens (never the tokens themselves).")
    int list(@Parameters(paramLabel = "ADDRESS") String address) {
        String a = AccountCommand.canonical(address);
        try (Store s = store.open()) {
            if (s.directory().account(a).isEmpty()) throw new Main.UserError("no such account: " + a);
            List<ApiAccess.Token> all = s.apiAccess().tokens(a);
            if (all.isEmpty()) System.out.println("no tokens for " + a + " (make one with 'sealpost token create " + a + "')");
            for (ApiAccess.Token t : all) {
                System.out.printf("%-6d scope=%-6s created=%s last-used=%s %s%s%n", t.id(), t.scope().token(), t.createdAt(),
                        t.lastUsedAt() == null ? "never" : t.lastUsedAt(), t.revoked() ? "REVOKED " + t.revokedAt() + " " : "",
                        t.name().isEmpty() ? "" : "name=" + t.name());
            }
        }
        return 0;
    }

    @Command(name = "revoke", description = "Revoke a token by its ID (from 'token list'); requests with it get 401 at once.")
    int revoke(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            if (!s.apiAccess().revokeToken(id, Instant.now())) throw new Main.UserError("no token " + id + " (or it was revoked already)");
        }
        System.out.println("revoked token " + id);
        return 0;
    }
}
