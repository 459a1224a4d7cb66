package dev.sealpost.lists.moderation;

import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.sealpost.lists.moderation.BounceScorer.Action;
import static dev.sealpost.lists.moderation.BounceScorer.State;
import static dev.sealpost.lists.moderation.BounceScorer.Status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BounceScorerTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    final BounceScorer scorer = new BounceScorer(BounceScorer.Settings.defaults(), clock);

    @Test
    void oneWeightPerDayAndPermanentUpgradesTheDay() {
        State s = State.NEW;
        for (int i = 0; i < 10; i++) s = scorer.bounce(s, false).state();
        assertThat(s.score()).isEqualTo(0.5);
        s = scorer.bounce(s, true).state();
        assertThat(scorer.score(s)).isEqualTo(1.0); // the day counts as one permanent bounce
        s = scorer.bounce(s, true).state();
        assertThat(scorer.score(s)).isEqualTo(1.0);
    }

    @Test
    void disabledAtTheThresholdThenWarnedThenRemoved() {
        State s = State.NEW;
        List<Action> actions = List.of();
        int days = 0;
        while (s.status() == Status.ENABLED) {
            BounceScorer.Step step = scorer.bounce(s, true);
            s = step.state();
            actions = step.actions();
            clock.advance(Duration.ofDays(1));
            days++;
        }
        // daily permanent bounces with a 7-day half-life: 1 + 0.906 + ... reaches 4.75 on the sixth day and 5.30 on the seventh
        assertThat(days).isEqualTo(7);
        assertThat(actions).containsExactly(Action.DISABLE_AND_NOTIFY);
        assertThat(s.warningsSent()).isEqualTo(1);
        // disabled members' bounces do not count any more
        assertThat(scorer.bounce(s, true).state()).isEqualTo(s);
        // warnings every 7 days up to 3 notices in all, then removal
        assertThat(scorer.tick(s).actions()).isEmpty();
        clock.advance(Duration.ofDays(6));
        BounceScorer.Step w2 = scorer.tick(s);
        assertThat(w2.actions()).containsExactly(Action.WARN);
        s = w2.state();
        clock.advance(Duration.ofDays(7));
        s = scorer.tick(s).state();
        assertThat(s.warningsSent()).isEqualTo(3);
        clock.advance(Duration.ofDays(6));
        assertThat(scorer.tick(s).actions()).isEmpty();
        clock.advance(Duration.ofDays(1));
        BounceScorer.Step removed = scorer.tick(s);
        assertThat(removed.actions()).containsExactly(Action.REMOVE);
        assertThat(removed.state().status()).isEqualTo(Status.REMOVED);
        assertThat(scorer.reenable(removed.state()).status()).isEqualTo(Status.REMOVED);
    }

    @Test
    void scoresDecayAndReenablingClears() {
        State s = State.NEW;
        for (int i = 0; i < 4; i++) {
            s = scorer.bounce(s, true).state();
            clock.advance(Duration.ofHours(24));
        }
        double before = scorer.score(s);
        clock.advance(Duration.ofDays(7));
        assertThat(scorer.score(s)).isCloseTo(before / 2, within(1e-9));
        clock.advance(Duration.ofDays(70));
        assertThat(scorer.score(s)).isLessThan(0.01);
        // a single bounce after a long silence does not disable
        BounceScorer.Step step = scorer.bounce(s, true);
        assertThat(step.actions()).isEmpty();
        assertThat(step.state().status()).isEqualTo(Status.ENABLED);
        assertThat(scorer.reenable(step.state())).isEqualTo(State.NEW);
        assertThat(scorer.score(State.NEW)).isZero();
    }
}
