package dev.sealpost.imap.search;

import java.time.Clock;
import java.util.Set;

/**
 * What SEARCH keys need besides the message itself.
 *
 * @param maxSeq             the highest message sequence number (the value of {@code *} in a sequence set), 0 when empty
 * @param maxUid             the highest UID in the mailbox (the value of {@code *} in {@code UID set}), 0 when empty
 * @param savedUids          the RFC 5182 saved result as UIDs ({@code $}); empty when none was saved
 * @param clock              now, for RFC 5032 OLDER / YOUNGER; its zone is the server's zone, in which
 *                           INTERNALDATE and SAVEDATE calendar dates are taken (BEFORE, ON, SINCE)
 * @param saveDateSupported  RFC 8514: the mailbox keeps save dates (SAVEDATESUPPORTED matches everything)
 */
public record SearchContext(long maxSeq, long maxUid, Set<Long> savedUids, Clock clock, boolean saveDateSupported) {
    public SearchContext {
        savedUids = savedUids == null ? Set.of() : savedUids;
        if (clock == null) throw new NullPointerException("clock");
    }
}
