/**
 * Network value types and the shared TCP listener with its connection limits.
 *
 * <h2>Purpose</h2>
 * IP networks in CIDR notation for allow lists (trusted forwarders, exempt networks).
 * {@link dev.sealpost.core.net.TcpListener}: the accept side shared by the SMTP, IMAP and POP3
 * servers: binds, accepts on a virtual thread, checks each connection against the listener's
 * {@link dev.sealpost.core.net.ConnectionLimits}, runs one virtual thread per admitted connection,
 * tracks the live sessions and ends them at shutdown by closing their TCP sockets.
 *
 * <h2>Security</h2>
 * {@code Cidr} parses configuration and never resolves names: only IP literals are accepted.
 * {@code TcpListener} reads nothing from the network for itself except what it drains from a
 * refused connection (discarded, at most 64 KiB and 2 s); the protocol sessions it starts read
 * the rest. Against one client holding many connections (issue 11) or opening them fast, and
 * against floods from many addresses, it enforces before any session object exists:
 * <ul>
 *   <li>a cap of connections per IP address at once, a rate per IP address (token bucket per
 *       minute) and a cap per listener; exempt networks skip the per-IP rules only, and loopback
 *       is exempt only when configured; an IPv6 client counts by its /64 (configurable), so a
 *       host cannot escape the per-IP rules by using another address of its own network;</li>
 *   <li>bounded memory ({@code ConnectionTracker}): live entries are bounded by the open
 *       connections; idle rate buckets expire within a minute and are capped at 16,384, past
 *       which the oldest is forgotten (the rate fails open for it, the caps do not);</li>
 *   <li>a refusal is answered with the protocol's reply on a virtual thread (at most 256 at once,
 *       beyond that closed without a reply), so a client that never reads cannot block accepting;</li>
 *   <li>refusals are logged once, then summarized every 10 s ({@code RefusalLog}, at most 1,000
 *       addresses counted one by one), so a flood cannot flood the log.</li>
 * </ul>
 * Shutdown closes accepted sockets rather than TLS layers, so a session blocked in a read cannot
 * hold shutdown up beyond the close wait.
 *
 * <h2>Standards</h2>
 * RFC 4632 (CIDR), RFC 4291 (IPv6 addressing). The replies to refused connections are the
 * protocols' own (RFC 5321 §3.8 421, RFC 9051 §7.1.5 BYE, RFC 3206 SYS/TEMP), made by the servers.
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.core.net.ConnectionLimits} holds the defaults (50 per IP, rate off, 5,000
 * per listener, nothing exempt), read from each section's {@code max_connections_per_ip},
 * {@code connection_rate_per_ip}, {@code max_connections}, {@code exempt_networks} and
 * {@code ipv6_prefix_length} (64). Bind
 * address, limits, refusal reply and session factory come from the owning server.
 */
package dev.sealpost.core.net;
