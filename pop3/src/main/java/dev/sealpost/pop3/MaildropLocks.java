package dev.sealpost.pop3;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive-access lock on a maildrop (RFC 1939 §4: "the POP3 server then acquires an
 * exclusive-access lock on the maildrop"), in this process only, keyed by store and account id.
 * Shared by every POP3 listener of the process (POP3 and POP3S on the same store). See the
 * package documentation for what a deployment of several nodes would need.
 */
final class MaildropLocks {
    private MaildropLocks() {}

    /** Identity of the store (a record of the reference: stores compare by identity) and the account. */
    private record Key(Object store, long accountId) {}

    private static final Map<Key, String> HELD = new ConcurrentHashMap<>();

    /** Takes the lock for {@code sessionId}; false when another session holds it. */
    static boolean tryLock(Object store, long accountId, String sessionId) {
        return HELD.putIfAbsent(new Key(store, accountId), sessionId) == null;
    }

    /** Releases the lock if {@code sessionId} holds it. */
    static void unlock(Object store, long accountId, String sessionId) {
        HELD.remove(new Key(store, accountId), sessionId);
    }

    /** The session holding the lock, or null (for tests). */
    static String holder(Object store, long accountId) {
        return HELD.get(new Key(store, accountId));
    }
}
