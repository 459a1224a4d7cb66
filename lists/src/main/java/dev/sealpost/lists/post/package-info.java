/**
 * What a list does to a post on its way to each member: the return path, the list header fields,
 * one-click unsubscribe tokens, the DMARC-safe From, and the copy for one member.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.lists.post.Verp} encodes and decodes per-member return paths
 * ({@code LIST-bounces+member=domain@listdomain}).
 *
 * <h2>Security</h2>
 * Member confidentiality is the point of a list: nothing here writes a member's address anywhere
 * but into that member's own copy (its return path). {@code Verp.decode} reads addresses from
 * untrusted bounces and returns a member only for a well-formed address of the given list.
 * No I/O.
 *
 * <h2>Standards</h2>
 * RFC 5321 (§4.1.2 local-part syntax, §2.4 case, §4.5.3.1.1 length), RFC 5322 §3.2.3 (atext),
 * RFC 6531 (UTF-8 local parts, escaped here).
 *
 * <h2>Configuration</h2>
 * None read here.
 */
package dev.sealpost.lists.post;
