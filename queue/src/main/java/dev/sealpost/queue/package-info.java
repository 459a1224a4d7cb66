/**
 * The outbound queue: delivers mail for remote recipients over SMTP and reports on it.
 * {@link dev.sealpost.queue.OutboundDelivery} schedules the due rows of the store's
 * {@link dev.sealpost.store.OutboundQueue} (virtual threads, per-domain connection limits,
 * several messages per connection), {@link dev.sealpost.queue.Router} finds the hosts (smarthost,
 * per-domain transport rules, MX with preference and random tie-break, implicit MX, null MX),
 * {@link dev.sealpost.queue.RetrySchedule} spaces the retries (5 min doubling to 4 h, ±10%,
 * give up after 5 days), {@link dev.sealpost.queue.DsnBuilder} writes the RFC 3464 reports, and
 * {@link dev.sealpost.queue.TlsPolicy} / {@link dev.sealpost.queue.OutboundSigner} are the hooks
 * for DANE / MTA-STS and DKIM signing.
 *
 * <h2>Security</h2>
 * Talks to untrusted remote servers through {@code dev.sealpost.smtp.client} (bounded replies,
 * timeouts on every read and write). Reply text reaches DSNs only with control characters
 * replaced, so a remote server cannot add header fields to a DSN. DSNs go only to the original
 * MAIL FROM and never for a message from the null sender (no bounce loops); REQUIRETLS messages
 * are sent only over PKIX-verified (or policy-authenticated) TLS and their failure reports leave
 * the content out (RFC 8689 §5). Credentials for the smarthost are sent only over TLS and never
 * logged. Reaches: the store, the resolver, outbound TCP connections to the routed hosts, whose
 * names (MX, implicit MX, smarthost, transports) are resolved only through the configured resolver
 * ({@code dns.DnsHostResolver}), never the JVM's; MTA-STS policy hosts through the server's
 * {@code Dialer} on the same resolver (ADR 0006).
 *
 * <h2>Durability</h2>
 * Each SMTP transaction's per-recipient results are committed in one store transaction right
 * after the remote reply; a DSN is spooled in the same transaction that clears its obligation.
 * A crash between a remote "250" and that commit re-sends the message once (RFC 5321 §6.1
 * accepts such duplicates); a recorded delivery is never sent again.
 *
 * <h2>Standards</h2>
 * RFC 5321 (§4.5.4.1 retries, §5 MX routing, §6.1 reliable delivery), RFC 7505 (null MX),
 * RFC 3461 (DSN parameters: NOTIFY, RET, ENVID, ORCPT; "relayed" reports), RFC 3464 (DSN
 * format), RFC 3463 (status codes), RFC 6522 (multipart/report), RFC 6533 (global DSN types for
 * SMTPUTF8 messages), RFC 3834 (Auto-Submitted), RFC 7435 (opportunistic TLS), RFC 8689
 * (REQUIRETLS), RFC 4954 (AUTH to a smarthost).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.queue.QueueSettings}, from the {@code [queue]} table: relay_host,
 * relay_user, relay_password, mx_port, max_age_hours, delay_warning_hours,
 * concurrency_per_domain, and {@code server.hostname} for EHLO and Reporting-MTA.
 */
package dev.sealpost.queue;
