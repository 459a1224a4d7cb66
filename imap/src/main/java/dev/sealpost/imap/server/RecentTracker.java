package dev.sealpost.imap.server;

import dev.sealpost.store.Mailboxes;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IMAP4rev1 {@code \Recent} (RFC 3501 §2.3.2): a message is recent in exactly one session, the
 * first one to open its mailbox read-write after the message arrived. Per mailbox we keep the
 * "first recent UID" boundary: messages with a UID at or above it are not yet claimed by any
 * session. A read-write SELECT (and a read-write session seeing new messages) claims them by
 * moving the boundary past them; EXAMINE and read-only sessions only look (RFC 3501 §6.3.2:
 * EXAMINE does not change the \Recent state).
 *
 * <p>The state is kept in memory, per store, for the lifetime of the server process (shared by
 * every IMAP listener of the store); it is not persisted, so after a restart every message of a
 * mailbox counts as recent again until a session selects it. IMAP4rev2 (RFC 9051 §E.1) dropped
 * \Recent; such sessions never show it.
 */
final class RecentTracker {
    private static final Map<Mailboxes, RecentTracker> BY_STORE = Collections.synchronizedMap(new WeakHashMap<>());

    /** The tracker of a store's mailboxes. */
    static RecentTracker of(Mailboxes mailboxes) {
        return BY_STORE.computeIfAbsent(mailboxes, k -> new RecentTracker());
    }

    /** A mailbox incarnation: a deleted and re-created mailbox has a new UIDVALIDITY. */
    private record Key(long mailboxId, long uidValidity) {}

    private final ConcurrentHashMap<Key, Long> firstRecent = new ConcurrentHashMap<>();

    /** The lowest UID not yet claimed by a session (1 for a mailbox nobody selected since the server started). */
    long peek(long mailboxId, long uidValidity) {
        return firstRecent.getOrDefault(new Key(mailboxId, uidValidity), 1L);
    }

    /** Drops the state of a deleted mailbox (a re-created one has a new UIDVALIDITY anyway). */
    void forget(long mailboxId, long uidValidity) {
        firstRecent.remove(new Key(mailboxId, uidValidity));
    }

    /**
     * Claims every message up to {@code upToUid}: returns the boundary before the claim, so the
     * caller's recent messages are those with {@code boundary <= uid <= upToUid}.
     */
    long claim(long mailboxId, long uidValidity, long upToUid) {
        long[] before = new long[1];
        firstRecent.compute(new Key(mailboxId, uidValidity), (k, old) -> {
            long b = old == null ? 1L : old;
            before[0] = b;
            return Math.max(b, upToUid + 1);
        });
        return before[0];
    }
}
