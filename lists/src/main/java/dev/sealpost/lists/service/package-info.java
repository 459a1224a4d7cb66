/**
 * The list engine in the server: takes mail to list addresses at local delivery (through the
 * delivery module's {@code RecipientHook}) and runs the post, request, confirmation and bounce
 * paths over the store's lists (migration V16).
 *
 * <p>Posts: the posting policy decides (open, members, moderated, announce); a held post waits in
 * the store for a moderator's reply to the notice ({@code LIST-confirm+TOKEN@}); an accepted post
 * is rewritten for DMARC when the author's domain asks for quarantine or reject (RFC 7489 §6.3,
 * RFC 7960 §4.1.3), gets the List-* fields (RFC 2369, RFC 2919, RFC 8058) and goes to each
 * enabled member as its own spool message with the VERP return path
 * {@code LIST-bounces+member=domain@listdomain}, DKIM-signed (RFC 6376) by the list's domain.
 * Requests ({@code LIST-request@}, {@code -subscribe}, {@code -unsubscribe}): subscribe and
 * unsubscribe are confirmed by a reply to a token message (double opt-in); help. Bounces to the
 * VERP addresses are parsed (RFC 3464 and common formats) and scored; a member past the threshold
 * is disabled and told; a daily pass ({@link ListService#bouncePass}) warns disabled members
 * weekly and removes them after the last warning, telling the owners. One-click unsubscribe (RFC 8058) is {@link ListService#oneClick}.
 *
 * <h2>Security</h2>
 * Parses untrusted mail (bounded by {@code Post}, {@code BounceParser}); reaches the store, the
 * DNS resolver (DMARC policy of an author's domain) and the spool. No member address is written
 * into another member's copy; replies to requests never say whether an address is a member (the
 * same confirmation goes out either way), and membership is listed only by the CLI. Tokens are
 * 160 random bits (confirmations) or HMAC-signed (one-click). Everything the list sends itself
 * carries {@code Auto-Submitted} (RFC 3834) and is never answered automatically.
 *
 * <h2>Configuration</h2>
 * No keys of its own: the one-click base URL is {@code https://<server.hostname>/lists/unsubscribe/},
 * the unsubscribe secret lives in {@code <data>/lists/unsubscribe.key} (made at the first start);
 * per-list settings are in the store ({@code sealpost list set}).
 */
package dev.sealpost.lists.service;
