package dev.sealpost.lists.moderation;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static dev.sealpost.lists.moderation.ModerationQueue.Outcome;
import static dev.sealpost.lists.moderation.ModerationQueue.Reply;
import static dev.sealpost.lists.moderation.ModerationQueue.Verdict;
import static org.assertj.core.api.Assertions.assertThat;

class ModerationQueueTest {
    static final EmailAddress LIST = EmailAddress.parse("dev@lists.example.com").orElseThrow();
    static final EmailAddress MOD = EmailAddress.parse("Mod@example.org").orElseThrow();
    static final Set<String> MODS = Set.of("mod@example.org", "owner@example.org");
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    final ModerationQueue q = new ModerationQueue(clock, Duration.ofDays(3), new SecureRandom());

    @Test
    void approveByReplyToTheNoticeAddress() {
        ModerationQueue.Held h = q.hold("spool-1", LIST);
        assertThat(h.token()).matches("[a-z2-7]{32}");
        String replyTo = ModerationQueue.replyAddress(LIST, h);
        assertThat(replyTo).isEqualTo("dev-confirm+" + h.token() + "@lists.example.com");
        // a relay upper-cased the address; the reply quotes the notice under the command
        Reply r = ModerationQueue.parseReply(replyTo.toUpperCase(), "Re: something else", "\r\nApprove.\r\n\r\n> confirm ...\r\n");
        assertThat(r).isEqualTo(new Reply.Decision(h.token(), Verdict.APPROVE, ""));
        Outcome o = q.decide(((Reply.Decision) r).token(), MOD, MODS, Verdict.APPROVE, "");
        assertThat(o).isInstanceOf(Outcome.Done.class);
        assertThat(((Outcome.Done) o).held().postId()).isEqualTo("spool-1");
        // once only
        assertThat(q.decide(h.token(), MOD, MODS, Verdict.REJECT, "")).isEqualTo(new Outcome.AlreadyDecided(Verdict.APPROVE, "mod@example.org"));
        assertThat(q.pending(h.token())).isEmpty();
    }

    @Test
    void rejectBySubjectWithAReason() {
        ModerationQueue.Held h = q.hold("spool-2", LIST);
        assertThat(ModerationQueue.noticeSubject(h)).isEqualTo("confirm " + h.token());
        Reply r = ModerationQueue.parseReply("dev-request@lists.example.com", "Re: " + ModerationQueue.noticeSubject(h), "reject off topic, sorry\n");
        assertThat(r).isEqualTo(new Reply.Decision(h.token(), Verdict.REJECT, "off topic, sorry"));
        assertThat(ModerationQueue.parseReply(null, "RE: CONFIRM " + h.token().toUpperCase(), "discard")).isEqualTo(new Reply.Decision(h.token(), Verdict.DISCARD, ""));
    }

    @Test
    void unclearRepliesAreNotGuessed() {
        ModerationQueue.Held h = q.hold("spool-3", LIST);
        assertThat(ModerationQueue.parseReply(null, "Re: confirm " + h.token(), "> approve\n")).isEqualTo(new Reply.NoDecision(h.token()));
        assertThat(ModerationQueue.parseReply(null, "Re: confirm " + h.token(), "hmm, what is this?")).isEqualTo(new Reply.NoDecision(h.token()));
        assertThat(ModerationQueue.parseReply(null, "Re: confirm " + h.token(), "")).isEqualTo(new Reply.NoDecision(h.token()));
        assertThat(ModerationQueue.parseReply("dev@lists.example.com", "hello", "approve")).isEqualTo(new Reply.NotAReply());
        assertThat(ModerationQueue.parseReply(null, "confirm tooshort", "approve")).isEqualTo(new Reply.NotAReply());
    }

    @Test
    void onlyModeratorsDecideAndTokensExpire() {
        ModerationQueue.Held h = q.hold("spool-4", LIST);
        EmailAddress stranger = EmailAddress.parse("x@example.net").orElseThrow();
        assertThat(q.decide(h.token(), stranger, MODS, Verdict.APPROVE, "")).isEqualTo(new Outcome.NotAModerator("x@example.net"));
        assertThat(q.decide("a".repeat(32), MOD, MODS, Verdict.APPROVE, "")).isInstanceOf(Outcome.UnknownToken.class);
        assertThat(q.decide(null, MOD, MODS, Verdict.APPROVE, "")).isInstanceOf(Outcome.UnknownToken.class);
        ModerationQueue.Held other = q.hold("spool-5", LIST);
        clock.advance(Duration.ofDays(3));
        assertThat(q.decide(h.token(), MOD, MODS, Verdict.APPROVE, "")).isEqualTo(new Outcome.Expired(h));
        assertThat(q.expire()).containsExactly(other);
        assertThat(q.expire()).isEmpty();
    }

    @Test
    void tokensAreDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) assertThat(seen.add(q.hold("p" + i, LIST).token())).isTrue();
        assertThat(ModerationQueue.base32(new byte[] {(byte) 0xff, 0})).isEqualTo("74aa");
    }
}
