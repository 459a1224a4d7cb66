package dev.sealpost.inbound;

import dev.sealpost.smtp.proto.SmtpRejection;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The submission rate limits and the compromised-account hold, over a settable clock. */
class OutboundGuardTest {
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final TestClock clock = new TestClock();
    final List<String> told = new ArrayList<>();

    OutboundGuard guard(int messages, int recipients, int hold) {
        return new OutboundGuard(new OutboundGuard.Settings(messages, recipients, 6, hold), clock, (a, why) -> told.add(a + ": " + why));
    }

    @Test
    void messagesPerHourSlideWithTheWindowAndArePerAccount() throws Exception {
        OutboundGuard g = guard(2, 0, 0);
        g.checkMessage("ana@example.test");
        g.sent("ana@example.test", 1);
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        g.checkMessage("ana@example.test");
        g.sent("ANA@example.test", 1); // the account name in another case is the same account
        assertThatThrownBy(() -> g.checkMessage("ana@example.test")).isInstanceOf(SmtpRejection.class)
                .hasMessageContaining("450").hasMessageContaining("4.7.1");
        g.checkMessage("ben@example.test"); // another account is not concerned
        clock.now = clock.now.plus(Duration.ofMinutes(31)); // the first message left the window
        g.checkMessage("ana@example.test");
    }

    @Test
    void recipientsPerHourCountThoseInTheTransaction() throws Exception {
        OutboundGuard g = guard(0, 5, 0);
        g.sent("ana@example.test", 3);
        g.checkRecipient("ana@example.test", 0);
        g.checkRecipient("ana@example.test", 1);
        assertThatThrownBy(() -> g.checkRecipient("ana@example.test", 2)).isInstanceOf(SmtpRejection.class)
                .hasMessageContaining("452").hasMessageContaining("4.5.3");
        g.checkMessage("ana@example.test"); // no message limit set
    }

    @Test
    void spamToManyRecipientsHoldsTheAccountForTheHourAndTellsOnce() {
        OutboundGuard g = guard(0, 0, 10);
        assertThat(g.scored("ana@example.test", 2.0, 50, "s1")).as("not spam: never counted").isFalse();
        assertThat(g.scored("ana@example.test", 7.5, 6, "s2")).isFalse();
        assertThat(told).isEmpty();
        assertThat(g.scored("ana@example.test", 6.0, 4, "s3")).as("6 + 4 spam-scored recipients").isTrue();
        assertThat(g.held("ana@example.test")).isTrue();
        assertThat(g.scored("ana@example.test", 0.0, 1, "s4")).as("held: clean mail too").isTrue();
        assertThat(told).hasSize(1);
        assertThat(told.getFirst()).startsWith("ana@example.test: ").contains("to 10 recipients within an hour (bound 10)");
        assertThat(g.held("ben@example.test")).isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(61));
        assertThat(g.held("ana@example.test")).isFalse();
        assertThat(g.scored("ana@example.test", 0.0, 1, "s5")).isFalse();
        assertThat(g.scored("ana@example.test", 9.0, 10, "s6")).as("a new episode").isTrue();
        assertThat(told).hasSize(2);
    }

    @Test
    void zeroMeansNoLimitAndNoHold() throws Exception {
        OutboundGuard g = guard(0, 0, 0);
        for (int i = 0; i < 1000; i++) g.sent("ana@example.test", 100);
        g.checkMessage("ana@example.test");
        g.checkRecipient("ana@example.test", 99);
        assertThat(g.scored("ana@example.test", 100, 1000, "s")).isFalse();
    }
}
