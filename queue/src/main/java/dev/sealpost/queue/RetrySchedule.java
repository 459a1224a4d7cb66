package dev.sealpost.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to try again: exponential backoff from {@code initial}, doubling per attempt up to
 * {@code max}, each delay moved by a random ±{@code jitter} fraction so that a queue that
 * filled up during an outage does not retry all at once; a message older than {@code maxAge}
 * is given up (RFC 5321 §4.5.4.1: retry at least 30 minutes apart, give up after 4-5 days).
 *
 * @param initial first retry delay (5 minutes)
 * @param max     longest retry delay (4 hours)
 * @param jitter  fraction of the delay, 0 to 0.5 (0.1 = ±10%)
 * @param maxAge  age at which delivery is given up with a failure DSN (5 days)
 */
public record RetrySchedule(Duration initial, Duration max, double jitter, Duration maxAge) {
    public RetrySchedule {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(maxAge, "maxAge");
        if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial: must be positive");
        if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max: at least initial");
        if (!(jitter >= 0 && jitter <= 0.5)) throw new IllegalArgumentException("jitter: 0 to 0.5");
        if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge: must be positive");
    }

    /** 5 minutes doubling to 4 hours, ±10%, give up after 5 days. */
    public static RetrySchedule defaults() {
        return new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(4), 0.1, Duration.ofDays(5));
    }

    public RetrySchedule withMaxAge(Duration d) {
        return new RetrySchedule(initial, max, jitter, d);
    }

    /** The delay after the {@code attempts}-th failed attempt (1 = the first), without jitter. */
    public Duration baseDelay(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        long ms = initial.toMillis();
        for (int i = 0; i < doublings && ms < max.toMillis(); i++) ms *= 2;
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** The next attempt after the {@code attempts}-th failed one, jittered. */
    public Instant next(Instant now, int attempts, RandomGenerator random) {
        long base = baseDelay(attempts).toMillis();
        long spread = Math.round(base * jitter);
        long delta = spread == 0 ? 0 : random.nextLong(-spread, spread + 1);
        return now.plusMillis(Math.max(1000, base + delta));
    }

    /** True when a message received at {@code receivedAt} is too old to try again at {@code now}. */
    public boolean expired(Instant receivedAt, Instant now) {
        return !now.isBefore(receivedAt.plus(maxAge));
    }
}
