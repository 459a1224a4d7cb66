package dev.sealpost.lists.moderation;

/**
 * Who may post to a list, decided per post (Mailman 3's member and non-member actions, reduced
 * to the four list styles of issue 18). Pure: the caller supplies what it knows about the post.
 */
public final class PostingPolicy {
    private PostingPolicy() {}

    /** The list's posting style. */
    public enum Style {
        /** Anyone may post. */
        OPEN,
        /** Members post; non-members get {@link Rules#nonMembers()}. */
        MEMBERS,
        /** Every post from members is held for a moderator; non-members get {@link Rules#nonMembers()}. */
        MODERATED,
        /** Only owners and moderators post; members' posts are held, non-members get {@link Rules#nonMembers()}. */
        ANNOUNCE
    }

    /** What happens to a post that is not accepted outright. */
    public enum Action { ACCEPT, HOLD, REJECT, DISCARD }

    /** The poster's relation to the list. */
    public enum Role { OWNER, MODERATOR, MEMBER, NON_MEMBER }

    /** Why. */
    public enum Reason {
        ALLOWED, PRE_APPROVED, LOOP, AUTOMATIC, NULL_SENDER, UNVERIFIED_SENDER, MEMBER_MODERATED, LIST_MODERATED,
        ANNOUNCE_ONLY, NON_MEMBER
    }

    /**
     * @param style                 the posting style
     * @param nonMembers            HOLD, REJECT or DISCARD for non-members (where the style does not accept them)
     * @param requireVerifiedSender hold posts whose From is not verified (DMARC pass for the From
     *                              domain, or an authenticated submission by that address) when the
     *                              poster's role is what lets the post through: anyone can write a
     *                              member's or an owner's address in From
     */
    public record Rules(Style style, Action nonMembers, boolean requireVerifiedSender) {
        public Rules {
            if (nonMembers == Action.ACCEPT) throw new IllegalArgumentException("nonMembers must be HOLD, REJECT or DISCARD; use the OPEN style to accept");
        }
    }

    /**
     * What is known about one post.
     *
     * @param role          the From address's relation to the list
     * @param memberModerated the member is individually moderated
     * @param verified      the From address is verified (see {@link Rules#requireVerifiedSender})
     * @param loop          the post has been through this list already (ListHeaders.isLoop)
     * @param automatic     Auto-Submitted is present and not {@code no} (RFC 3834 §5 defines the field; our policy: automatic
     *                      mail is not for distribution), or the post is a bounce
     * @param nullSender    the envelope sender is empty (a delivery report)
     * @param preApproved   a moderator already approved this post (a held post released)
     */
    public record Facts(Role role, boolean memberModerated, boolean verified, boolean loop, boolean automatic,
                        boolean nullSender, boolean preApproved) {}

    public record Decision(Action action, Reason reason) {}

    public static Decision decide(Rules rules, Facts f) {
        if (f.loop()) return new Decision(Action.DISCARD, Reason.LOOP);
        if (f.nullSender()) return new Decision(Action.DISCARD, Reason.NULL_SENDER);
        if (f.automatic()) return new Decision(Action.DISCARD, Reason.AUTOMATIC);
        if (f.preApproved()) return new Decision(Action.ACCEPT, Reason.PRE_APPROVED);
        boolean privileged = f.role() == Role.OWNER || f.role() == Role.MODERATOR;
        boolean member = privileged || f.role() == Role.MEMBER;
        if (rules.style() == Style.OPEN) {
            // anyone may post, so a forged From gains nothing: verification is not asked for
            return f.role() == Role.MEMBER && f.memberModerated() ? new Decision(Action.HOLD, Reason.MEMBER_MODERATED)
                    : new Decision(Action.ACCEPT, Reason.ALLOWED);
        }
        if (privileged) return verifiedOrHold(rules, f);
        return switch (rules.style()) {
            case OPEN -> throw new AssertionError("handled above");
            case MEMBERS -> !member ? new Decision(rules.nonMembers(), Reason.NON_MEMBER)
                    : f.memberModerated() ? new Decision(Action.HOLD, Reason.MEMBER_MODERATED) : verifiedOrHold(rules, f);
            case MODERATED -> member ? new Decision(Action.HOLD, Reason.LIST_MODERATED) : new Decision(rules.nonMembers(), Reason.NON_MEMBER);
            case ANNOUNCE -> member ? new Decision(Action.HOLD, Reason.ANNOUNCE_ONLY) : new Decision(rules.nonMembers(), Reason.NON_MEMBER);
        };
    }

    private static Decision verifiedOrHold(Rules rules, Facts f) {
        if (rules.requireVerifiedSender() && !f.verified()) return new Decision(Action.HOLD, Reason.UNVERIFIED_SENDER);
        return new Decision(Action.ACCEPT, Reason.ALLOWED);
    }
}
