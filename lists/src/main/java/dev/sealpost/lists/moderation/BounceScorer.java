package dev.sealpost.lists.moderation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Bounce scores of list members (Mailman's bounce processing, with a smooth decay): each bounce
 * adds to the member's score, at most one bounce's weight per day (a retrying MTA or a burst of
 * posts does not multiply one failure), the score halves every {@code halfLife} without bounces,
 * and at {@code threshold} the member's delivery is disabled with a notice. A disabled member is
 * warned {@code warnings} times, {@code warningInterval} apart, and then removed, unless
 * re-enabled (by following the notice) in between.
 *
 * <p>Pure: the state is a value ({@link State}) the store keeps; every method returns the new
 * state and the actions to take. The {@link Clock} gives "now".
 */
public final class BounceScorer {

    /**
     * @param threshold        score at which delivery is disabled (Mailman: 5.0)
     * @param permanentWeight  a permanent failure's weight (RFC 3464 Action failed; Mailman 1.0)
     * @param temporaryWeight  a temporary one's (Action delayed; Mailman 2 used 0.5)
     * @param halfLife         time for a score to halve without bounces (Mailman resets after 7 days of silence)
     * @param warnings         notices sent to a disabled member before removal (Mailman 3)
     * @param warningInterval  time between them (Mailman 7 days)
     */
    public record Settings(double threshold, double permanentWeight, double temporaryWeight, Duration halfLife,
                           int warnings, Duration warningInterval) {
        public Settings {
            if (!(threshold > 0) || permanentWeight < 0 || temporaryWeight < 0 || halfLife.isNegative() || halfLife.isZero()
                    || warnings < 1 || warningInterval.isNegative() || warningInterval.isZero()) {
                throw new IllegalArgumentException("bad bounce settings");
            }
        }

        public static Settings defaults() {
            return new Settings(5.0, 1.0, 0.5, Duration.ofDays(7), 3, Duration.ofDays(7));
        }
    }

    public enum Status { ENABLED, DISABLED, REMOVED }

    /**
     * One member's bounce state.
     *
     * @param score          the score at {@code scoredAt}
     * @param scoredAt       when the score was last updated (null: never bounced)
     * @param lastDay        the UTC day of the last counted bounce (null: none)
     * @param dayWeight      the weight counted on {@code lastDay}
     * @param status         delivery status
     * @param warningsSent   notices sent since disabled
     * @param lastNoticeAt   when the last notice went (null: none)
     */
    public record State(double score, Instant scoredAt, LocalDate lastDay, double dayWeight, Status status,
                        int warningsSent, Instant lastNoticeAt) {
        public static final State NEW = new State(0, null, null, 0, Status.ENABLED, 0, null);
    }

    /** What the caller must do. */
    public enum Action {
        /** Stop delivering to the member and send the "disabled by bounces" notice (with a re-enable link). */
        DISABLE_AND_NOTIFY,
        /** Send another "still disabled" notice. */
        WARN,
        /** Remove the member (and tell the owners, per list setting). */
        REMOVE
    }

    public record Step(State state, List<Action> actions) {}

    private final Settings settings;
    private final Clock clock;

    public BounceScorer(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The score decayed to now. */
    public double score(State s) {
        if (s.scoredAt() == null) return 0;
        long elapsed = Math.max(0, Duration.between(s.scoredAt(), clock.instant()).toSeconds());
        return s.score() * Math.pow(0.5, (double) elapsed / settings.halfLife().toSeconds());
    }

    /** A bounce for the member: permanent or not. */
    public Step bounce(State s, boolean permanent) {
        if (s.status() != Status.ENABLED) return new Step(s, List.of()); // already disabled or gone: nothing more to count
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        double weight = permanent ? settings.permanentWeight() : settings.temporaryWeight();
        double counted = today.equals(s.lastDay()) ? Math.max(0, weight - s.dayWeight()) : weight;
        double dayWeight = today.equals(s.lastDay()) ? Math.max(weight, s.dayWeight()) : weight;
        double score = score(s) + counted;
        if (score >= settings.threshold()) {
            State d = new State(score, now, today, dayWeight, Status.DISABLED, 1, now);
            return new Step(d, List.of(Action.DISABLE_AND_NOTIFY));
        }
        return new Step(new State(score, now, today, dayWeight, Status.ENABLED, 0, null), List.of());
    }

    /** The periodic pass (daily): warnings, then removal, for disabled members. */
    public Step tick(State s) {
        if (s.status() != Status.DISABLED) return new Step(s, List.of());
        Instant now = clock.instant();
        if (s.lastNoticeAt() != null && Duration.between(s.lastNoticeAt(), now).compareTo(settings.warningInterval()) < 0) {
            return new Step(s, List.of());
        }
        if (s.warningsSent() >= settings.warnings()) {
            return new Step(new State(s.score(), s.scoredAt(), s.lastDay(), s.dayWeight(), Status.REMOVED, s.warningsSent(), s.lastNoticeAt()),
                    List.of(Action.REMOVE));
        }
        return new Step(new State(s.score(), s.scoredAt(), s.lastDay(), s.dayWeight(), Status.DISABLED, s.warningsSent() + 1, now),
                List.of(Action.WARN));
    }

    /** The member re-enabled delivery (followed the notice, or an owner did it): a clean slate. */
    public State reenable(State s) {
        return s.status() == Status.REMOVED ? s : State.NEW;
    }
}
