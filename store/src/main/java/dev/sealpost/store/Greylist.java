package dev.sealpost.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Greylisting state (migration V11), shared by every node on this database: one row per triplet
 * (client network, envelope sender, envelope recipient). The policy (delays, how long a triplet is
 * remembered, who skips greylisting) belongs to the filter module ({@code dev.sealpost.filter.net.Greylister});
 * this is storage only, with times given by the caller (its clock). Writes go through the
 * group-commit writer and are committed on return.
 */
public interface Greylist {
    /** Longest network, sender or recipient kept; longer values are cut (the triplet stays distinct enough). */
    int MAX_FIELD = 320;

    /**
     * One triplet's state.
     *
     * @param firstSeen when it was first seen (the delay counts from here)
     * @param passedAt  when a retry was accepted, or null while pending
     * @param expiresAt when the row may be forgotten
     * @param attempts  how many times it was seen (the first time counts 1)
     */
    record Entry(String network, String sender, String recipient, Instant firstSeen, Instant passedAt,
                 Instant expiresAt, long attempts) {
        public boolean passed() {
            return passedAt != null;
        }
    }

    /**
     * Records one attempt, atomically: a new triplet (or one whose row has expired) starts afresh
     * with {@code firstSeen = now}, no pass, {@code expiresAt = pendingExpiry} and one attempt; a
     * known one gets one more attempt and keeps its times. Returns the row after the change.
     */
    Entry seen(String network, String sender, String recipient, Instant now, Instant pendingExpiry);

    /** Marks the triplet passed at {@code now} (keeping an earlier pass time) and sets its expiry. */
    void passed(String network, String sender, String recipient, Instant now, Instant expiresAt);

    /** The triplet's row, if any (expired rows too, until {@link #purge}). */
    Optional<Entry> find(String network, String sender, String recipient);

    /** Deletes the rows whose expiry is at or before {@code now}; returns how many went. */
    int purge(Instant now);
}
