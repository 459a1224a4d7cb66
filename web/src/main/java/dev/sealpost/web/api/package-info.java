/**
 * The admin REST API under {@code /api/v1} (JSON over HTTPS): domains with their DNS records,
 * accounts (password, quota, role), aliases, the outbound queue and message traces. Described in
 * {@code docs/api.yaml} (OpenAPI 3.1); how to use it in {@code docs/api.md}.
 *
 * <h2>Security</h2>
 * Parses untrusted input: the {@code Authorization} header, the path, the query and a JSON body
 * (at most {@code web.api_max_body} octets, nesting depth 16, duplicate keys refused). It reaches
 * the store (directory, roles and tokens, outbound queue, trace) and, through hooks the app wires,
 * DKIM key generation and the {@code dns records} text.
 * <ul>
 *   <li>Authentication: HTTP Basic with an account's password (RFC 7617) through the shared login
 *       path ({@link dev.sealpost.core.login.LoginGate}: the same throttle and log lines as SMTP,
 *       IMAP and POP3, ADR 0007), or a bearer token (RFC 6750) made with
 *       {@code sealpost token create}: 256 random bits, stored as SHA-256 only, revocable
 *       ({@link dev.sealpost.web.api.ApiToken}). Passwords and tokens are never logged.</li>
 *   <li>Authorization: server admin (everything), domain admin (their domains: accounts, aliases,
 *       the queue entries they sent), user (their own account and traces). A token's scope caps
 *       the account's roles, read at every request. The decision uses only the request (the role
 *       and the domain or address it names), before any look-up: a 403 or 404 never tells someone
 *       who may not see an account whether it exists.</li>
 *   <li>HTTPS only (404 on the plain listener); {@code Cache-Control: no-store}; no CORS headers
 *       (browsers keep other origins out); the web server adds {@code nosniff} and a CSP that
 *       allows nothing.</li>
 * </ul>
 *
 * <h2>Standards</h2>
 * RFC 9110 (HTTP semantics: methods, 401/403/405/413/415, WWW-Authenticate), RFC 7617 (Basic),
 * RFC 6750 (bearer tokens), RFC 8259 (JSON), RFC 3986 (percent-encoding), RFC 4648 (base64url).
 *
 * <h2>Configuration</h2>
 * {@code web.api} (on by default, served on the HTTPS listener), {@code web.api_max_body}.
 */
package dev.sealpost.web.api;
