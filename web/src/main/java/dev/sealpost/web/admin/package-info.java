/**
 * The web admin for browsers (docs/web-admin.md): the static UI under {@code /admin/} bundled in
 * the jar, the login (password and optional TOTP, RFC 6238) with cookie sessions, and the cookie
 * authentication of the admin API ({@code dev.sealpost.web.api}).
 *
 * <h2>Security</h2>
 * HTTPS only. Logins go through the shared {@code LoginGate} (throttling and the log line every
 * protocol writes); passwords, TOTP secrets and session ids are never logged. The session cookie
 * is {@code __Host-}, {@code Secure; HttpOnly; SameSite=Strict; Path=/}; every login makes a fresh
 * 256-bit id and ends the session the browser came with (no fixation); sessions end after an idle
 * and an absolute timeout and are kept in memory as SHA-256 of the id. Every state-changing
 * request made with the cookie needs the session's CSRF token in {@code X-CSRF-Token}, compared in
 * constant time, and a same-origin {@code Origin}/{@code Sec-Fetch-Site} when the browser sends
 * them; the login form checks the origin too (login CSRF). A TOTP code is accepted once (the last
 * accepted step is stored, and only a later one is taken). Replies carry a strict CSP without
 * inline script, {@code X-Frame-Options: DENY} and {@code Referrer-Policy: no-referrer}; the UI
 * loads nothing from elsewhere.
 */
package dev.sealpost.web.admin;
