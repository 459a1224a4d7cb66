/**
 * The HTTP(S) listener ({@link dev.sealpost.web.WebServer}): MTA-STS policy hosting
 * ({@code https://mta-sts.<domain>/.well-known/mta-sts.txt}), Thunderbird autoconfig for mail
 * clients, Web Key Directory hosting ({@link dev.sealpost.web.WkdHosting}, registered through the
 * extension route hook {@link dev.sealpost.web.WebServer#route}), and a health check. Other features add their paths by prefix
 * ({@link dev.sealpost.web.WebServer#addRoute}, {@link dev.sealpost.web.WebRoute}): the evidence
 * log's checkpoint, tiles and keys under {@code /evidence/}; each route parses its own path.
 * The admin API ({@link dev.sealpost.web.api}) sees whole requests through
 * {@link dev.sealpost.web.WebServer#exchangeRoute} under {@code /api/v1}.
 * POST is served only where a feature added a POST route ({@link dev.sealpost.web.WebServer#postRoute}:
 * the lists' RFC 8058 one-click unsubscribe under {@code /lists/unsubscribe/}).
 *
 * <h2>Security</h2>
 * Parses untrusted input: the request line, headers and query string, through the JDK's
 * {@code com.sun.net.httpserver} with its JVM-wide bounds (set by {@code WebServer} unless the
 * operator set them: 30 s to read a request and to write a response, 64 header lines of 16 KiB
 * in all, 1000 connections), and at most {@code web.max_requests_in_flight} requests handled at
 * once (256; one more gets {@code 503} with {@code Retry-After: 5} and a close, never a wait). Only
 * GET and HEAD, except under an exchange route (the admin API, whose own package-info says how it
 * bounds and authenticates bodies) and POST on the paths of POST routes, whose bodies are read up
 * to 8 KiB (413 beyond) and handed to the route; exact paths only, nothing is read from the
 * file system (no traversal possible); the query is read only for autoconfig (at most 2048
 * characters) and never echoed back. Reaches the directory only to ask whether a domain is
 * local, and (WKD) for the published OpenPGP certificate of a WKD hash. No stack traces to clients; logs carry method, host and path, never the query (it may
 * hold an address). Every response sends {@code X-Content-Type-Options: nosniff}, a
 * {@code Content-Security-Policy} allowing nothing and {@code Referrer-Policy: no-referrer}.
 * HTTPS takes its TLS policy from {@link dev.sealpost.core.tls.ServerTls} (TLS 1.2 and 1.3, AEAD
 * suites, ALPN "http/1.1": a client asking only for another protocol is refused).
 *
 * <h2>Standards</h2>
 * RFC 8461 §3.2-§3.3 (MTA-STS policy: HTTPS only, text/plain, CRLF lines; the TXT record id
 * from {@link dev.sealpost.web.WebServer#policyId}), RFC 9110 / RFC 9112 (methods, 405 with
 * Allow, Host handling, 503 with Retry-After §15.6.4 / §10.2.3), RFC 8555 §8.3 (ACME HTTP-01 answers, from the app's renewal service),
 * RFC 8737 (acme-tls/1 kept in the HTTPS ALPN list for TLS-ALPN-01), RFC 8314 (implicit TLS first in autoconfig), RFC 6409 (submission),
 * RFC 7301 (ALPN), draft-koch-openpgp-webkey-service §3.1 and §4.5 (WKD advanced and direct
 * methods, the policy file).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.web.WebServerConfig}: HTTP and HTTPS bind addresses (either may be off),
 * the TLS kit ({@code ServerTls}, any profile but legacy), the host name, the MTA-STS mode, mx patterns (default: the host name) and
 * max_age (default one week), the client servers advertised in autoconfig, and the requests in
 * flight ({@code web.max_requests_in_flight}).
 */
package dev.sealpost.web;
