package dev.sealpost.core.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Slows down password guessing, per remote address and per account.
 *
 * <p>Use it like this in a protocol's AUTH / LOGIN / PASS handler:
 * <pre>{@code
 * if (throttle.blocked(ip)) -> refuse (e.g. SMTP 454 4.7.0, IMAP NO [UNAVAILABLE])
 * on failure:  throttle.failed(ip, user); sleep(throttle.delayFor(ip, user)); reply failure
 * on success:  throttle.succeeded(ip, user)
 * }</pre>
 *
 * <p>Three failure counters are kept: per address, per account (a guessing run spread over
 * many addresses) and per address+account. {@link #delayFor} uses the largest, so the delay
 * only ever holds up <em>failed</em> attempts: an attacker cannot slow down a real user's
 * successful login. With the defaults the first 2 failures answer at once, then 1 s, 2 s,
 * 4 s ... up to 15 s.
 *
 * <p>A counter is forgotten once {@code window} passes with no new failure on it, so a slow
 * steady attack keeps its counter (stricter than a fixed window). IPv6 addresses are counted
 * per /64, the usual smallest allocation to one site. Each map holds at most
 * {@code maxEntries}; when full the entry with the oldest failure is dropped. Thread-safe: one
 * {@link ReentrantLock} guards short in-memory updates, never I/O.
 */
public final class LoginThrottle {

    /**
     * @param freeFailures failures answered without delay
     * @param baseDelay    delay after the first non-free failure; doubled each failure after
     * @param maxDelay     cap on the delay
     * @param window       quiet time after which a counter is forgotten
     * @param blockAfter   failures from one address (within its window) after which {@link #blocked} is true
     * @param maxEntries   most entries kept per map (memory bound)
     */
    public record Settings(int freeFailures, Duration baseDelay, Duration maxDelay, Duration window,
                           int blockAfter, int maxEntries) {
        public Settings {
            if (freeFailures < 0) throw new IllegalArgumentException("freeFailures must be >= 0");
            if (baseDelay.isNegative() || maxDelay.isNegative()) throw new IllegalArgumentException("delays must be >= 0");
            if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be > 0");
            if (blockAfter < 1) throw new IllegalArgumentException("blockAfter must be >= 1");
            if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be >= 1");
        }

        /** 2 free failures, 1 s doubling to 15 s, 10 minute window, block after 50, 100 000 entries. */
        public static Settings defaults() {
            return new Settings(2, Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(10), 50, 100_000);
        }
    }

    /** Longest account name kept as a key; longer names are cut (they cannot be real accounts anyway). */
    private static final int MAX_ACCOUNT_KEY = 320;

    private final Clock clock;
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Counters byIp;
    private final Counters byAccount;
    private final Counters byPair;

    public LoginThrottle(Clock clock) {
        this(clock, Settings.defaults());
    }

    public LoginThrottle(Clock clock, Settings settings) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.byIp = new Counters(settings.maxEntries());
        this.byAccount = new Counters(settings.maxEntries());
        this.byPair = new Counters(settings.maxEntries());
    }

    /** Records one failed login. */
    public void failed(InetAddress ip, String account) {
        String ipKey = ipKey(ip), accountKey = accountKey(account);
        Instant now = clock.instant();
        lock.lock();
        try {
            byIp.increment(ipKey, now, settings.window());
            if (!accountKey.isEmpty()) { // no user name yet (e.g. a bad PLAIN message): per address only
                byAccount.increment(accountKey, now, settings.window());
                byPair.increment(ipKey + " " + accountKey, now, settings.window());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records a successful login: the failures this address made on this account no longer count. */
    public void succeeded(InetAddress ip, String account) {
        String ipKey = ipKey(ip), accountKey = accountKey(account);
        Instant now = clock.instant();
        lock.lock();
        try {
            int n = byPair.remove(ipKey + " " + accountKey, now, settings.window());
            if (n > 0) {
                byIp.decrement(ipKey, n, now, settings.window());
                byAccount.decrement(accountKey, n, now, settings.window());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long to wait before answering a failed attempt, from the failures recorded so far
     * (call {@link #failed} first). Zero for the first {@code freeFailures}, then
     * {@code baseDelay * 2^(n - freeFailures - 1)}, at most {@code maxDelay}.
     */
    public Duration delayFor(InetAddress ip, String account) {
        String ipKey = ipKey(ip), accountKey = accountKey(account);
        Instant now = clock.instant();
        int n;
        lock.lock();
        try {
            n = Math.max(byIp.count(ipKey, now, settings.window()),
                    Math.max(byAccount.count(accountKey, now, settings.window()),
                            byPair.count(ipKey + " " + accountKey, now, settings.window())));
        } finally {
            lock.unlock();
        }
        int over = n - settings.freeFailures();
        if (over <= 0) return Duration.ZERO;
        int shift = Math.min(over - 1, 30);
        Duration d = settings.baseDelay().multipliedBy(1L << shift);
        return d.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : d;
    }

    /** True when this address has failed {@code blockAfter} times or more within its window. */
    public boolean blocked(InetAddress ip) {
        String ipKey = ipKey(ip);
        Instant now = clock.instant();
        lock.lock();
        try {
            return byIp.count(ipKey, now, settings.window()) >= settings.blockAfter();
        } finally {
            lock.unlock();
        }
    }

    /** Number of address entries held (for metrics and tests). */
    public int trackedAddresses() {
        lock.lock();
        try {
            return byIp.map.size();
        } finally {
            lock.unlock();
        }
    }

    static String ipKey(InetAddress ip) {
        Objects.requireNonNull(ip, "ip");
        if (ip instanceof Inet6Address v6) {
            byte[] a = v6.getAddress();
            for (int i = 8; i < 16; i++) a[i] = 0;
            try {
                return InetAddress.getByAddress(a).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new AssertionError(e); // 16 octets is always valid
            }
        }
        return ip.getHostAddress();
    }

    static String accountKey(String account) {
        String a = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        return a.length() > MAX_ACCOUNT_KEY ? a.substring(0, MAX_ACCOUNT_KEY) : a;
    }

    /** Failure counters in last-failure order (oldest first); callers hold the lock. */
    private static final class Counters {
        private static final class Entry {
            int count;
            Instant last;
        }

        final LinkedHashMap<String, Entry> map = new LinkedHashMap<>();
        private final int max;

        Counters(int max) {
            this.max = max;
        }

        int count(String key, Instant now, Duration window) {
            Entry e = map.get(key);
            if (e == null) return 0;
            if (expired(e, now, window)) {
                map.remove(key);
                return 0;
            }
            return e.count;
        }

        /** Records one failure at {@code now}; the entry moves to the young end. */
        void increment(String key, Instant now, Duration window) {
            Entry e = map.remove(key);
            if (e == null || expired(e, now, window)) e = new Entry();
            e.count++;
            e.last = now;
            map.put(key, e);
            evict(now, window);
        }

        /** Takes back {@code n} failures (after a success); keeps the entry's age and place. */
        void decrement(String key, int n, Instant now, Duration window) {
            Entry e = map.get(key);
            if (e == null) return;
            e.count -= n;
            if (e.count <= 0 || expired(e, now, window)) map.remove(key);
        }

        int remove(String key, Instant now, Duration window) {
            Entry e = map.remove(key);
            if (e == null || expired(e, now, window)) return 0;
            return e.count;
        }

        private void evict(Instant now, Duration window) {
            Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
            // drop expired entries from the old end, then the oldest while over the cap
            while (it.hasNext()) {
                Map.Entry<String, Entry> oldest = it.next();
                boolean stale = expired(oldest.getValue(), now, window);
                if (!stale && map.size() <= max) break;
                it.remove();
            }
        }

        private static boolean expired(Entry e, Instant now, Duration window) {
            return !now.isBefore(e.last.plus(window));
        }
    }
}
