package dev.sealpost.tlspolicy.mtasts;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.Resolver;
import dev.sealpost.tlspolicy.internal.HostNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Policy discovery, fetch and caching for a recipient domain (RFC 8461 §3, §5).
 *
 * <ol>
 *   <li>Look up the TXT record at {@code _mta-sts.<domain>}.</li>
 *   <li>No valid record (absent, several, invalid) or a DNS failure: use the cached policy while
 *       it has not expired (RFC 8461 §3.3 last paragraph, §5.1), else no policy.</li>
 *   <li>A record whose id equals the cached policy's id, with the cached policy unexpired: use the
 *       cache, no fetch (RFC 8461 §5.1).</li>
 *   <li>Otherwise fetch. A valid policy replaces the cache entry, expiring after its
 *       {@code max_age}. A failed fetch keeps an unexpired cached policy in use (RFC 8461 §5:
 *       "If a valid TXT record is found but no policy can be fetched ..."), else no policy.</li>
 * </ol>
 *
 * A policy with mode {@code none} is returned like any other: callers apply no MTA-STS then.
 * Thread-safe: concurrent calls for one domain may fetch twice; the last fetched wins.
 */
public final class MtaStsResolver {
    private static final Logger log = LoggerFactory.getLogger(MtaStsResolver.class);

    private final Resolver resolver;
    private final MtaStsFetcher fetcher;
    private final Clock clock;
    private final MtaStsCache cache;

    public MtaStsResolver(Resolver resolver, MtaStsFetcher fetcher, Clock clock, MtaStsCache cache) {
        this.resolver = resolver;
        this.fetcher = fetcher;
        this.clock = clock;
        this.cache = cache;
    }

    /** What happened in one {@link #resolve} call, for logs and TLS-RPT. */
    public enum Source {
        /** No record and nothing cached: the domain has no MTA-STS. */
        NONE,
        /** The cached policy was used without a fetch. */
        CACHE,
        /** A policy was fetched (first time, new id, or expired cache). */
        FETCHED,
        /** A fetch or discovery failed and the unexpired cached policy was used. */
        CACHE_AFTER_FAILURE,
        /** A record was found but no policy could be fetched and nothing usable was cached. */
        FETCH_FAILED
    }

    /**
     * The outcome of {@link #resolve}.
     *
     * @param policy  the policy to apply, if any
     * @param source  how it was obtained
     * @param failure the fetch failure, when there was one (for TLS-RPT sts-policy-* result types)
     */
    public record Resolution(Optional<ActivePolicy> policy, Source source, Optional<MtaStsFetcher.Failed> failure) {}

    /** The policy to apply to mail for {@code domain}, if any. */
    public Optional<ActivePolicy> policy(String domain) {
        return resolve(domain).policy();
    }

    /** As {@link #policy}, with how the policy was obtained. */
    public Resolution resolve(String domain) {
        Optional<String> normalized = HostNames.normalize(domain);
        if (normalized.isEmpty()) return new Resolution(Optional.empty(), Source.NONE, Optional.empty());
        return resolve(normalized.get(), false);
    }

    /**
     * Proactive refresh (RFC 8461 §5.1): re-check the record and refetch the policy even when the id
     * is unchanged, so that a policy in use does not expire. Run periodically for
     * {@link MtaStsCache#domains()}.
     */
    public Resolution refresh(String domain) {
        Optional<String> normalized = HostNames.normalize(domain);
        if (normalized.isEmpty()) return new Resolution(Optional.empty(), Source.NONE, Optional.empty());
        return resolve(normalized.get(), true);
    }

    private Resolution resolve(String domain, boolean force) {
        Instant now = clock.instant();
        Optional<ActivePolicy> cached = cache.get(domain).filter(p -> !p.expired(now));
        DnsAnswer<String> txt = resolver.txt(MtaStsRecord.lookupName(domain));
        if (txt.temporaryFailure()) {
            log.info("mta-sts discovery dns failure domain={} status={} cached={}", domain, txt.status(), cached.isPresent());
            return cached.map(p -> new Resolution(Optional.of(p), Source.CACHE_AFTER_FAILURE, Optional.<MtaStsFetcher.Failed>empty()))
                    .orElseGet(() -> new Resolution(Optional.empty(), Source.NONE, Optional.empty()));
        }
        Optional<MtaStsRecord> record = MtaStsRecord.select(txt.records());
        if (record.isEmpty()) {
            // RFC 8461 §3.3: no live policy discoverable, but an unexpired cached one: apply it
            return cached.map(p -> new Resolution(Optional.of(p), Source.CACHE, Optional.<MtaStsFetcher.Failed>empty()))
                    .orElseGet(() -> new Resolution(Optional.empty(), Source.NONE, Optional.empty()));
        }
        String id = record.get().id();
        // RFC 8461 §5.1: same id as the cached policy: no need to fetch
        if (!force && cached.isPresent() && cached.get().id().equals(id)) {
            return new Resolution(cached, Source.CACHE, Optional.empty());
        }
        MtaStsFetcher.FetchResult result = fetcher.fetch(domain);
        if (result instanceof MtaStsFetcher.Fetched f) {
            Instant expires = now.plusSeconds(f.policy().maxAgeSeconds());
            ActivePolicy active = new ActivePolicy(domain, id, f.policy(), now, expires);
            cache.put(active);
            log.info("mta-sts policy fetched domain={} id={} mode={} max_age={}", domain, id, f.policy().mode().token(),
                    f.policy().maxAgeSeconds());
            return new Resolution(Optional.of(active), Source.FETCHED, Optional.empty());
        }
        MtaStsFetcher.Failed failed = (MtaStsFetcher.Failed) result;
        // RFC 8461 §5: keep using a valid cached policy when the refetch fails
        if (cached.isPresent()) return new Resolution(cached, Source.CACHE_AFTER_FAILURE, Optional.of(failed));
        return new Resolution(Optional.empty(), Source.FETCH_FAILED, Optional.of(failed));
    }

    /** RFC 8461 §4.1: whether {@code mxHost} is a valid MX for the policy. */
    public static boolean mxMatches(MtaStsPolicy policy, String mxHost) {
        return policy.mxMatches(mxHost);
    }
}
