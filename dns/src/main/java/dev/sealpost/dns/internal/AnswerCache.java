package dev.sealpost.dns.internal;

import dev.sealpost.dns.DnsAnswer.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A bounded, thread-safe cache of look-up outcomes keyed by (name, type), each kept for its TTL
 * (RFC 1035 §3.2.1; negative answers per RFC 2308 §5). When full, the least recently used entry
 * goes. Expiry follows the given clock, so tests can move time.
 */
public final class AnswerCache {
    /** A cached outcome; {@code records} are those of the asked type (after CNAMEs). */
    public record Entry(Status status, List<Record> records, boolean authentic, Instant expires) {}

    private record Key(Name name, int type) {}

    private final int maxEntries;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Entry> map;

    public AnswerCache(int maxEntries, Clock clock) {
        if (maxEntries < 1) throw new IllegalArgumentException("cache size must be positive: " + maxEntries);
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, AnswerCache.Entry> eldest) {
                return size() > AnswerCache.this.maxEntries;
            }
        };
    }

    /** The entry if present and not yet expired. */
    public Optional<Entry> get(Name name, int type) {
        Key key = new Key(name.canonicalize(), type);
        lock.lock();
        try {
            Entry e = map.get(key);
            if (e == null) return Optional.empty();
            if (!clock.instant().isBefore(e.expires())) {
                map.remove(key);
                return Optional.empty();
            }
            return Optional.of(e);
        } finally {
            lock.unlock();
        }
    }

    /** Stores an outcome for {@code ttlSeconds}; a TTL of 0 or less stores nothing (RFC 1035 §3.2.1: use once). */
    public void put(Name name, int type, Status status, List<Record> records, boolean authentic, long ttlSeconds) {
        if (ttlSeconds <= 0) return;
        Entry e = new Entry(status, List.copyOf(records), authentic, clock.instant().plusSeconds(ttlSeconds));
        lock.lock();
        try {
            map.put(new Key(name.canonicalize(), type), e);
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return map.size();
        } finally {
            lock.unlock();
        }
    }

    public void clear() {
        lock.lock();
        try {
            map.clear();
        } finally {
            lock.unlock();
        }
    }
}
