/**
 * List governance as pure decisions: who may post, held posts and their moderation tokens, and
 * members' bounce scores.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.lists.moderation.PostingPolicy} decides accept, hold, reject or discard for a
 * post from the list's style (open, members, moderated, announce), the poster's role and what is
 * known about the post (loop, automatic, null sender, verified From).
 * {@link dev.sealpost.lists.moderation.ModerationQueue} holds posts under random tokens and reads
 * moderators' replies ({@code confirm TOKEN} in the Subject or {@code LIST-confirm+TOKEN@} as the
 * address; {@code approve}, {@code reject reason}, {@code discard} in the body).
 * {@link dev.sealpost.lists.moderation.BounceScorer} scores bounces per member (one weight per
 * day, exponential decay), disables at a threshold, warns, then removes.
 *
 * <h2>Security</h2>
 * Moderation replies are untrusted mail: a decision needs the token (160 random bits from a
 * {@link java.security.SecureRandom}, sent only to moderators) and a moderator's address; each
 * token decides once; reply parsing reads a bounded prefix. Anyone can forge From, so the posting
 * policy can hold posts whose member or owner From is not verified. Bounce scores move only through
 * {@code BounceScorer}, at most one bounce's weight per day, so a flood of forged bounces cannot
 * remove a member quickly. No I/O; the moderation state is in memory until the store keeps it.
 *
 * <h2>Standards</h2>
 * RFC 3834 §5 (Auto-Submitted: automatic mail, which a list does not distribute), RFC 3464 §2.3.3 (permanent and temporary
 * failures weigh differently), RFC 4648 §6 (base32 alphabet of the tokens).
 *
 * <h2>Configuration</h2>
 * None read here. The caller passes {@code PostingPolicy.Rules}, the hold time of the
 * {@code ModerationQueue} and {@code BounceScorer.Settings} ({@code defaults()}: threshold 5.0,
 * permanent 1.0, temporary 0.5, half-life 7 days, 3 warnings 7 days apart, as Mailman).
 */
package dev.sealpost.lists.moderation;
