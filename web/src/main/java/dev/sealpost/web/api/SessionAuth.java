package dev.sealpost.web.api;

import com.sun.net.httpserver.HttpExchange;

import java.util.Optional;

/**
 * Authenticates an API request by something other than its {@code Authorization} header: the web
 * admin's cookie session ({@code dev.sealpost.web.admin.AdminUi}), which also checks the CSRF
 * token of a state-changing request. Asked only when the request has no {@code Authorization}
 * header; empty when the request carries no session at all (then Basic/Bearer rules apply).
 */
@FunctionalInterface
public interface SessionAuth {
    Optional<ApiAuthenticator.Outcome> authenticate(HttpExchange exchange);
}
