/**
 * Outbound connections: the one owner of "host name → addresses → socket" (ADR 0006).
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.net.dial.HostResolver} turns a host name into addresses; the server's
 * one implementation ({@code dev.sealpost.dns.DnsHostResolver}) asks the configured resolver
 * ({@code [dns]} in the TOML, {@code --dns} on the CLI), so every connection the server makes
 * (SMTP to MX hosts and smarthosts, HTTPS for MTA-STS, BIMI Indicators and VMCs, later WKD)
 * resolves names the same way. {@link dev.sealpost.core.net.dial.Dialer} connects to those
 * addresses in turn with a connect timeout; {@link dev.sealpost.core.net.dial.HttpsGet} is a small
 * bounded HTTPS GET client over it. Nothing here, nor anywhere else in Sealpost, resolves a name
 * through the JVM's system resolver ({@code InetAddress.getByName}, {@code new
 * InetSocketAddress(name, port)}, {@code java.net.http.HttpClient}): with a separate resolver
 * configured those would silently disagree with it (issue 11: no MTA-STS policy fetched).
 *
 * <h2>Security</h2>
 * {@code HttpsGet} parses untrusted input: HTTP/1.1 responses from any server a message or a DNS
 * record names. The head is bounded in bytes and fields, the body by the caller's limit (known
 * lengths over it are refused before reading), the whole exchange by one deadline that every read
 * honours. Framing is strict: Transfer-Encoding other than {@code chunked}, Transfer-Encoding
 * with Content-Length, differing Content-Lengths, bare CR or NUL in the head and obsolete line
 * folding are refused. TLS 1.2 or 1.3 only; the certificate is checked by the caller's trust and
 * for the URL's host name (JDK endpoint identification "HTTPS"), with SNI for that name; the TCP
 * connection goes to an address from our resolver, so a name the resolver does not know is never
 * reached. No redirects, proxies, cookies or content codings. What it can reach: whatever the
 * caller asks for, on the port in the URL (443 by default); callers limit that by building URLs.
 *
 * <h2>Standards</h2>
 * RFC 9110 (HTTP semantics: §4.3.4 https identity, §7.2 Host, §15.2 interim responses), RFC 9112
 * (HTTP/1.1 framing: §2.2, §4, §5, §6.1, §6.3, §7.1), RFC 6066 §3 (SNI), RFC 6125 (service
 * identity), RFC 8996 and RFC 9325 (TLS 1.2 or later).
 *
 * <h2>Configuration</h2>
 * None here: the resolver, trust, time and size bounds come from the caller (wired in app).
 */
package dev.sealpost.core.net.dial;
