/**
 * What a list does to a post on its way to each member: the return path, the list header fields,
 * one-click unsubscribe tokens, the DMARC-safe From, and the copy for one member.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.lists.post.Post} holds a post as header fields (octets kept) and a body.
 * {@link dev.sealpost.lists.post.FromRewriter} makes From the list's when the author's domain has
 * a DMARC policy of quarantine or reject (RFC 7960 §4.1.3, as Mailman's munge_from), keeping the
 * author in Reply-To or Cc. {@link dev.sealpost.lists.post.ListDistribution} prepares a post once
 * and makes each member's copy: {@link dev.sealpost.lists.post.ListHeaders} (List-Id, List-Help,
 * -Subscribe, -Unsubscribe, -Post, -Owner, -Archive, List-Unsubscribe-Post, Precedence, the
 * {@code X-Loop} trace and loop detection), a per-member
 * {@link dev.sealpost.lists.post.UnsubscribeToken} (HMAC-signed, expiring, secrets rotated), and the
 * VERP return path of {@link dev.sealpost.lists.post.Verp}
 * ({@code LIST-bounces+member=domain@listdomain}). {@link dev.sealpost.lists.post.HeaderText}
 * writes display names (quoted-string or RFC 2047 words) and reads mailboxes back.
 * {@link dev.sealpost.lists.post.OneClick} checks the body of a one-click POST (for the web
 * endpoint); {@link dev.sealpost.lists.post.Recipients} picks who gets a copy (enabled members,
 * once each, the poster unless they opted out of their own posts).
 *
 * <h2>Security</h2>
 * Member confidentiality is the point of a list: the only member address the list writes into a
 * copy is that member's own (its return path, and inside its signed unsubscribe token); the fields
 * that can carry an envelope recipient (Bcc, Delivered-To, X-Original-To, Envelope-To,
 * Return-Path) are removed from posts. Unsubscribe tokens are HMAC-SHA-256 with a context label,
 * compared in constant time, bounded in length, and name their key so an unknown key fails fast;
 * secrets must have 32 octets or more. New header values are checked so that no line end can
 * start a field (header injection). {@code Verp.decode} and {@code UnsubscribeToken.verify} read
 * untrusted input and return values only. No I/O.
 *
 * <h2>Standards</h2>
 * RFC 2919 (List-Id), RFC 2369 (List-Help, -Subscribe, -Unsubscribe, -Post with NO, -Owner,
 * -Archive), RFC 8058 (one-click unsubscribe: an HTTPS URI and List-Unsubscribe-Post; §3.2 the
 * POST), RFC 7578 (its multipart/form-data form), RFC 2104
 * (HMAC), RFC 7960 §4.1.3 and RFC 7489 §6.3 (the From rewrite and the policy it follows), RFC 5322
 * (§3.2.4 quoted strings, §3.6.2 and §3.6.3 From, Reply-To, Cc, §2.2.3 folding), RFC 2047
 * (encoded words: §5 phrases, at most 75 characters), RFC 6532 (UTF-8 header octets kept),
 * RFC 5321 (§4.1.2 local parts, §2.4 case, §4.5.3.1.1 length) and RFC 6531 (UTF-8 local parts,
 * escaped in VERP), RFC 3834 (automatic responses; Precedence is not standard).
 *
 * <h2>Configuration</h2>
 * None read here. The caller passes the list's identity ({@code ListIdentity}), the unsubscribe
 * secrets and token validity, the subject prefix, the From rewrite mode and where the poster goes.
 */
package dev.sealpost.lists.post;
