/**
 * Network value types and the shared TCP listener.
 *
 * <h2>Purpose</h2>
 * IP networks in CIDR notation for allow lists (trusted forwarders, later rate limits).
 * {@link dev.sealpost.core.net.TcpListener}: the accept side shared by the SMTP, IMAP and POP3
 * servers: binds, accepts on a virtual thread, runs one virtual thread per connection, tracks
 * the live sessions and ends them at shutdown by closing their TCP sockets.
 *
 * <h2>Security</h2>
 * {@code Cidr} parses configuration and never resolves names: only IP literals are accepted.
 * {@code TcpListener} reads nothing from the network itself; the protocol sessions it starts do.
 * It can bound connections per IP address (the refused socket goes to the caller, which closes
 * it), and shutdown closes accepted sockets rather than TLS layers, so a session blocked in a
 * read cannot hold shutdown up beyond the close wait.
 *
 * <h2>Standards</h2>
 * RFC 4632 (CIDR), RFC 4291 (IPv6 addressing).
 *
 * <h2>Configuration</h2>
 * None here: bind address, per-address limit and session factory come from the owning server.
 */
package dev.sealpost.core.net;
