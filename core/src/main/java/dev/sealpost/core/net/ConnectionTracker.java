package dev.sealpost.core.net;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Counts one listener's connections against its {@link ConnectionLimits}: in all, per IP address
 * at once, and per IP address per minute (a token bucket). "Per IP address" is per
 * {@link ConnectionLimits#clientKey}: an IPv4 address, or an IPv6 client's /64 by default. Called by the accept loop for each
 * new connection and by each session when it ends; one short critical section per call, no I/O.
 *
 * <p><b>Memory is bounded.</b> An address with open connections has an entry (at most as many as
 * open connections, so bounded by {@code maxConnections}). With a rate limit, an address whose
 * connections have all ended keeps its bucket in an "idle" table until the bucket is full again
 * (at most one minute), then the entry is dropped. The idle table holds at most
 * {@code maxIdleEntries}; when an address-spraying flood fills it, the least recently used entry
 * is forgotten, so that address starts again with a full bucket: at the cap the rate limit fails
 * open for the oldest addresses (counted by {@link #evictions()}), while the per-IP and total caps,
 * which only need the live entries, keep holding.
 */
final class ConnectionTracker {
    /** Idle rate entries kept at most (about 200 bytes each: some 3 MiB). */
    static final int DEFAULT_MAX_IDLE_ENTRIES = 16_384;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private static final class Entry {
        int live;
        double tokens;
        long stamp; // when tokens was last brought up to date

        Entry(double tokens, long stamp) {
            this.tokens = tokens;
            this.stamp = stamp;
        }
    }

    private final ConnectionLimits limits;
    private final LongSupplier nanoTime;
    private final int maxIdleEntries;
    private final boolean perAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, Entry> live = new HashMap<>();
    /** Insertion order is stamp order: an entry is (re)inserted with stamp = now. */
    private final LinkedHashMap<InetAddress, Entry> idle = new LinkedHashMap<>();
    private int total;
    private long evictions;

    ConnectionTracker(ConnectionLimits limits, LongSupplier nanoTime, int maxIdleEntries) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        if (maxIdleEntries < 1) throw new IllegalArgumentException("maxIdleEntries must be > 0");
        this.maxIdleEntries = maxIdleEntries;
        this.perAddress = limits.maxConnectionsPerIp() > 0 || limits.connectionRatePerIp() > 0;
    }

    ConnectionTracker(ConnectionLimits limits) {
        this(limits, System::nanoTime, DEFAULT_MAX_IDLE_ENTRIES);
    }

    /**
     * Admits a new connection and counts it, or says why not (then nothing is counted).
     *
     * @param exempt the address is in an exempt network: only the total cap applies
     * @return null when admitted
     */
    TcpListener.Refusal admit(InetAddress ip, boolean exempt) {
        lock.lock();
        try {
            if (limits.maxConnections() > 0 && total >= limits.maxConnections()) return TcpListener.Refusal.LISTENER_FULL;
            if (exempt || !perAddress) {
                total++;
                return null;
            }
            long now = nanoTime.getAsLong();
            expire(now);
            int rate = limits.connectionRatePerIp();
            ip = limits.clientKey(ip); // an IPv6 client by its /64 (ConnectionLimits.ipv6PrefixLength)
            Entry e = live.get(ip);
            if (e == null) e = idle.remove(ip);
            if (e == null) e = new Entry(rate, now);
            if (limits.maxConnectionsPerIp() > 0 && e.live >= limits.maxConnectionsPerIp()) {
                return TcpListener.Refusal.TOO_MANY_FROM_ADDRESS; // e.live > 0: it stays in live
            }
            if (rate > 0) {
                refill(e, now, rate);
                if (e.tokens < 1) {
                    if (e.live == 0) idle(ip, e); // back at the tail: stamp is now
                    return TcpListener.Refusal.TOO_FAST_FROM_ADDRESS;
                }
                e.tokens -= 1;
            }
            if (e.live++ == 0) live.put(ip, e);
            total++;
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** A connection admitted with the same {@code exempt} has ended. */
    void release(InetAddress ip, boolean exempt) {
        lock.lock();
        try {
            total--;
            if (exempt || !perAddress) return;
            int rate = limits.connectionRatePerIp();
            long now = rate == 0 ? 0 : nanoTime.getAsLong();
            if (rate > 0) expire(now);
            ip = limits.clientKey(ip);
            Entry e = live.get(ip);
            if (e == null || --e.live > 0) return;
            live.remove(ip);
            if (rate == 0) return;
            refill(e, now, rate);
            if (e.tokens < rate) idle(ip, e); // a full bucket is the same as no entry
        } finally {
            lock.unlock();
        }
    }

    private void idle(InetAddress ip, Entry e) {
        idle.put(ip, e);
        if (idle.size() > maxIdleEntries) {
            Iterator<InetAddress> it = idle.keySet().iterator();
            it.next();
            it.remove();
            evictions++;
        }
    }

    private static void refill(Entry e, long now, int rate) {
        long elapsed = now - e.stamp;
        if (elapsed > 0) e.tokens = Math.min(rate, e.tokens + (double) elapsed * rate / MINUTE_NANOS);
        e.stamp = now;
    }

    /** Drops idle entries last brought up to date a minute or more ago: their buckets are full by now. */
    private void expire(long now) {
        Iterator<Entry> it = idle.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().stamp < MINUTE_NANOS) return;
            it.remove();
        }
    }

    /** Connections counted now. */
    int total() {
        lock.lock();
        try {
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** Addresses with an entry (open connections or a rate bucket not yet full). */
    int trackedAddresses() {
        lock.lock();
        try {
            return live.size() + idle.size();
        } finally {
            lock.unlock();
        }
    }

    /** Idle entries forgotten because the idle table was full. */
    long evictions() {
        lock.lock();
        try {
            return evictions;
        } finally {
            lock.unlock();
        }
    }
}
