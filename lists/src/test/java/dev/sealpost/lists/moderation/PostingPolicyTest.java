package dev.sealpost.lists.moderation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.sealpost.lists.moderation.PostingPolicy.Action;
import static dev.sealpost.lists.moderation.PostingPolicy.Facts;
import static dev.sealpost.lists.moderation.PostingPolicy.Reason;
import static dev.sealpost.lists.moderation.PostingPolicy.Role;
import static dev.sealpost.lists.moderation.PostingPolicy.Rules;
import static dev.sealpost.lists.moderation.PostingPolicy.Style;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostingPolicyTest {

    static Facts plain(Role role) {
        return new Facts(role, false, true, false, false, false, false);
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
            "OPEN,NON_MEMBER,ACCEPT,ALLOWED", "OPEN,MEMBER,ACCEPT,ALLOWED", "OPEN,OWNER,ACCEPT,ALLOWED",
            "MEMBERS,NON_MEMBER,HOLD,NON_MEMBER", "MEMBERS,MEMBER,ACCEPT,ALLOWED", "MEMBERS,MODERATOR,ACCEPT,ALLOWED",
            "MODERATED,NON_MEMBER,HOLD,NON_MEMBER", "MODERATED,MEMBER,HOLD,LIST_MODERATED", "MODERATED,OWNER,ACCEPT,ALLOWED",
            "ANNOUNCE,NON_MEMBER,HOLD,NON_MEMBER", "ANNOUNCE,MEMBER,HOLD,ANNOUNCE_ONLY", "ANNOUNCE,MODERATOR,ACCEPT,ALLOWED",
            "ANNOUNCE,OWNER,ACCEPT,ALLOWED"})
    void table(Style style, Role role, Action action, Reason reason) {
        assertThat(PostingPolicy.decide(new Rules(style, Action.HOLD, true), plain(role))).isEqualTo(new PostingPolicy.Decision(action, reason));
    }

    @Test
    void nonMemberActionIsConfigured() {
        assertThat(PostingPolicy.decide(new Rules(Style.MEMBERS, Action.REJECT, false), plain(Role.NON_MEMBER)).action()).isEqualTo(Action.REJECT);
        assertThat(PostingPolicy.decide(new Rules(Style.ANNOUNCE, Action.DISCARD, false), plain(Role.NON_MEMBER)).action()).isEqualTo(Action.DISCARD);
        assertThatThrownBy(() -> new Rules(Style.MEMBERS, Action.ACCEPT, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forgedFromIsHeldWhenVerificationIsRequired() {
        Facts forgedOwner = new Facts(Role.OWNER, false, false, false, false, false, false);
        assertThat(PostingPolicy.decide(new Rules(Style.ANNOUNCE, Action.REJECT, true), forgedOwner))
                .isEqualTo(new PostingPolicy.Decision(Action.HOLD, Reason.UNVERIFIED_SENDER));
        assertThat(PostingPolicy.decide(new Rules(Style.ANNOUNCE, Action.REJECT, false), forgedOwner).action()).isEqualTo(Action.ACCEPT);
        Facts forgedMember = new Facts(Role.MEMBER, false, false, false, false, false, false);
        assertThat(PostingPolicy.decide(new Rules(Style.MEMBERS, Action.REJECT, true), forgedMember).reason()).isEqualTo(Reason.UNVERIFIED_SENDER);
        // an open list asks nothing of anyone
        assertThat(PostingPolicy.decide(new Rules(Style.OPEN, Action.REJECT, true), forgedMember).action()).isEqualTo(Action.ACCEPT);
    }

    @Test
    void loopsAutomaticMailAndModeratedMembers() {
        Rules r = new Rules(Style.OPEN, Action.HOLD, false);
        assertThat(PostingPolicy.decide(r, new Facts(Role.OWNER, false, true, true, false, false, true)))
                .isEqualTo(new PostingPolicy.Decision(Action.DISCARD, Reason.LOOP));
        assertThat(PostingPolicy.decide(r, new Facts(Role.MEMBER, false, true, false, true, false, false)).reason()).isEqualTo(Reason.AUTOMATIC);
        assertThat(PostingPolicy.decide(r, new Facts(Role.MEMBER, false, true, false, false, true, false)).reason()).isEqualTo(Reason.NULL_SENDER);
        assertThat(PostingPolicy.decide(r, new Facts(Role.MEMBER, true, true, false, false, false, false)).reason()).isEqualTo(Reason.MEMBER_MODERATED);
        assertThat(PostingPolicy.decide(new Rules(Style.MEMBERS, Action.HOLD, false), new Facts(Role.MEMBER, true, true, false, false, false, false)).action())
                .isEqualTo(Action.HOLD);
        // a released held post goes through whatever the style says
        assertThat(PostingPolicy.decide(new Rules(Style.MODERATED, Action.REJECT, true), new Facts(Role.NON_MEMBER, false, false, false, false, false, true)))
                .isEqualTo(new PostingPolicy.Decision(Action.ACCEPT, Reason.PRE_APPROVED));
    }
}
