package dev.sealpost.core.auth;

import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the slow password hash of a login runs (reliability finding 6: a password guesser slowed
 * the account owner's own login from another address to 3.5-6.2 s).
 *
 * <p>The cause: every session is a virtual thread, and a PBKDF2 verification is ~0.1-1 s of pure
 * CPU. The virtual-thread scheduler has one carrier thread per core and never preempts CPU-bound
 * code, so a few guesses in parallel (one per connection) held every carrier, and every other
 * session - the owner's login, but also SMTP and IMAP clients - waited until a hash ended.
 *
 * <p>So the hash runs here instead: on a small pool of platform threads (half the cores, at
 * least one), which the operating system time-slices with the carriers, so sessions keep being
 * served while hashes run; the calling virtual thread just parks. And fairly per client address
 * ({@link #attribute}, called by the login gate before each credential check): one address has at
 * most one hash running or queued, its other attempts wait in their own lane, so a login from
 * another address waits for at most one hash per other guessing address, not for the guesser's
 * whole backlog. (An address past the throttle's block limit is refused before any hashing:
 * {@code LoginGate.blocked}.)
 */
public final class PasswordWork {
    private PasswordWork() {}

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS,
            Thread.ofPlatform().daemon().name("password-hash-", 0).factory());
    private static final ThreadLocal<String> CLIENT = new ThreadLocal<>();

    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock(true);
        int users;
    }

    private static final ConcurrentHashMap<String, Lane> LANES = new ConcurrentHashMap<>();

    /** The calling thread checks credentials for this client address from now on (IPv6 per /64, as the throttle counts). */
    public static void attribute(InetAddress ip) {
        CLIENT.set(LoginThrottle.ipKey(ip));
    }

    /**
     * Runs {@code hash} on the hashing pool, in the caller's address lane, and waits for it.
     * When interrupted, the interrupt flag is set again and {@code onInterrupt} is returned.
     */
    static <T> T run(Callable<T> hash, T onInterrupt) {
        String key = CLIENT.get();
        if (key == null) key = "-"; // not a network login (CLI, tests): one shared lane
        Lane lane = LANES.compute(key, (k, l) -> {
            if (l == null) l = new Lane();
            l.users++;
            return l;
        });
        try {
            lane.lock.lockInterruptibly(); // one hash at a time per address: its other attempts queue here
            try {
                Future<T> f = POOL.submit(hash);
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    f.cancel(true);
                    Thread.currentThread().interrupt();
                    return onInterrupt;
                }
            } finally {
                lane.lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return onInterrupt;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            LANES.compute(key, (k, l) -> l == null || --l.users == 0 ? null : l);
        }
    }
}
