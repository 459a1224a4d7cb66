package dev.sealpost.tlspolicy.mtasts;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.Set;

/**
 * Where fetched policies are kept between deliveries (RFC 8461 §5). Implementations are
 * thread-safe; a persistent one (in the store) keeps policies across restarts, which RFC 8461
 * §10.2 recommends so that a restarted sender is not open to a downgrade.
 */
public interface MtaStsCache {
    Optional<ActivePolicy> get(String domain);

    void put(ActivePolicy policy);

    void remove(String domain);

    /** Domains with a cached policy (for proactive refresh, RFC 8461 §5.1). */
    Set<String> domains();

    /** A cache in memory, bounded: when full, new domains are not cached (the oldest are kept). */
    static MtaStsCache inMemory(int maxEntries) {
        return new MtaStsCache() {
            private final ConcurrentMap<String, ActivePolicy> map = new ConcurrentHashMap<>();

            @Override
            public Optional<ActivePolicy> get(String domain) {
                return Optional.ofNullable(map.get(domain));
            }

            @Override
            public void put(ActivePolicy policy) {
                if (map.size() >= maxEntries && !map.containsKey(policy.domain())) return;
                map.put(policy.domain(), policy);
            }

            @Override
            public void remove(String domain) {
                map.remove(domain);
            }

            @Override
            public Set<String> domains() {
                return Set.copyOf(map.keySet());
            }
        };
    }
}
