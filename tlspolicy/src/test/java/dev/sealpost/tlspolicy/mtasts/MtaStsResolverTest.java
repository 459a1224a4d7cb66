package dev.sealpost.tlspolicy.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.testkit.MutableClock;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher.Failed;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher.FetchResult;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher.Fetched;
import dev.sealpost.tlspolicy.mtasts.MtaStsFetcher.Kind;
import dev.sealpost.tlspolicy.mtasts.MtaStsResolver.Source;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Discovery, caching and refresh by id (RFC 8461 §3, §5) with a pinned clock and scripted DNS and HTTPS. */
class MtaStsResolverTest {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    final MutableClock clock = new MutableClock(T0);
    final MtaStsCache cache = MtaStsCache.inMemory(100);

    /** DNS whose TXT answer for _mta-sts.example.com the test swaps. */
    static final class SwitchableDns implements Resolver {
        volatile DnsAnswer<String> txt = DnsAnswer.nxdomain(false);
        final List<String> asked = new ArrayList<>();

        void record(String... txts) {
            txt = DnsAnswer.of(List.of(txts), false);
        }

        @Override
        public DnsAnswer<String> txt(String name) {
            asked.add(name);
            return name.equals("_mta-sts.example.com") ? txt : DnsAnswer.nxdomain(false);
        }

        @Override public DnsAnswer<InetAddress> a(String name) { return DnsAnswer.nxdomain(false); }
        @Override public DnsAnswer<InetAddress> aaaa(String name) { return DnsAnswer.nxdomain(false); }
        @Override public DnsAnswer<MxRecord> mx(String name) { return DnsAnswer.nxdomain(false); }
        @Override public DnsAnswer<String> ptr(InetAddress address) { return DnsAnswer.nxdomain(false); }
        @Override public DnsAnswer<TlsaRecord> tlsa(String name) { return DnsAnswer.nxdomain(false); }
    }

    /** A fetcher that answers from a script and counts fetches. */
    static final class ScriptedFetcher implements MtaStsFetcher {
        volatile FetchResult next;
        int fetches;

        @Override
        public synchronized FetchResult fetch(String policyDomain) {
            fetches++;
            return next;
        }
    }

    static MtaStsPolicy policy(String mx, long maxAge) {
        return new MtaStsPolicy(MtaStsPolicy.Mode.ENFORCE, List.of(mx), maxAge, Map.of());
    }

    final SwitchableDns dns = new SwitchableDns();
    final ScriptedFetcher fetcher = new ScriptedFetcher();
    final MtaStsResolver resolver = new MtaStsResolver(dns, fetcher, clock, cache);

    @Test
    void noRecordNoPolicy() {
        assertThat(resolver.resolve("example.com").source()).isEqualTo(Source.NONE);
        assertThat(fetcher.fetches).isZero();
        assertThat(dns.asked).containsExactly("_mta-sts.example.com");
    }

    @Test
    void fetchesOnceThenCachesByIdAndRefetchesWhenTheIdChanges() {
        dns.record("v=STSv1; id=one");
        fetcher.next = new Fetched(policy("mx1.example.com", 86400));
        MtaStsResolver.Resolution first = resolver.resolve("Example.COM.");
        assertThat(first.source()).isEqualTo(Source.FETCHED);
        ActivePolicy p = first.policy().orElseThrow();
        assertThat(p.domain()).isEqualTo("example.com");
        assertThat(p.id()).isEqualTo("one");
        assertThat(p.expiresAt()).isEqualTo(T0.plusSeconds(86400));
        assertThat(p.mxMatches("mx1.example.com")).isTrue();

        clock.advance(Duration.ofHours(1));
        assertThat(resolver.resolve("example.com").source()).isEqualTo(Source.CACHE);
        assertThat(fetcher.fetches).isEqualTo(1);

        // RFC 8461 §5.1: a new id means a new policy
        dns.record("v=STSv1; id=two");
        fetcher.next = new Fetched(policy("mx2.example.com", 3600));
        MtaStsResolver.Resolution third = resolver.resolve("example.com");
        assertThat(third.source()).isEqualTo(Source.FETCHED);
        assertThat(third.policy().orElseThrow().id()).isEqualTo("two");
        assertThat(third.policy().orElseThrow().mxMatches("mx2.example.com")).isTrue();
        assertThat(fetcher.fetches).isEqualTo(2);
    }

    @Test
    void failedRefetchKeepsTheUnexpiredCachedPolicy() {
        dns.record("v=STSv1; id=one");
        fetcher.next = new Fetched(policy("mx1.example.com", 86400));
        resolver.resolve("example.com");
        dns.record("v=STSv1; id=two");
        fetcher.next = new Failed(Kind.WEBPKI_INVALID, "certificate not valid");
        clock.advance(Duration.ofHours(2));
        MtaStsResolver.Resolution r = resolver.resolve("example.com");
        assertThat(r.source()).isEqualTo(Source.CACHE_AFTER_FAILURE);
        assertThat(r.policy().orElseThrow().id()).isEqualTo("one");
        assertThat(r.failure()).contains(new Failed(Kind.WEBPKI_INVALID, "certificate not valid"));
        // the cache still holds the old id, so the next delivery tries the fetch again
        assertThat(cache.get("example.com").orElseThrow().id()).isEqualTo("one");
        resolver.resolve("example.com");
        assertThat(fetcher.fetches).isEqualTo(3);

        // once expired, a failing fetch leaves no policy
        clock.advance(Duration.ofDays(1));
        MtaStsResolver.Resolution expired = resolver.resolve("example.com");
        assertThat(expired.source()).isEqualTo(Source.FETCH_FAILED);
        assertThat(expired.policy()).isEmpty();
    }

    @Test
    void dnsFailureOrMissingRecordUsesTheCacheUntilItExpires() {
        dns.record("v=STSv1; id=one");
        fetcher.next = new Fetched(policy("mx1.example.com", 600));
        resolver.resolve("example.com");

        dns.txt = DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
        assertThat(resolver.resolve("example.com").source()).isEqualTo(Source.CACHE_AFTER_FAILURE);
        dns.txt = DnsAnswer.failure(DnsAnswer.Status.TIMEOUT);
        assertThat(resolver.policy("example.com")).isPresent();
        dns.txt = DnsAnswer.nxdomain(false);
        assertThat(resolver.resolve("example.com").source()).isEqualTo(Source.CACHE);
        // two records: "no policy" record-wise, the cache still applies
        dns.record("v=STSv1; id=a", "v=STSv1; id=b");
        assertThat(resolver.policy("example.com")).isPresent();
        assertThat(fetcher.fetches).isEqualTo(1);

        clock.advance(Duration.ofSeconds(600));
        dns.txt = DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
        assertThat(resolver.resolve("example.com").source()).isEqualTo(Source.NONE);
        dns.txt = DnsAnswer.nxdomain(false);
        assertThat(resolver.policy("example.com")).isEmpty();
    }

    @Test
    void sameIdAfterExpiryRefetches() {
        dns.record("v=STSv1; id=one");
        fetcher.next = new Fetched(policy("mx1.example.com", 60));
        resolver.resolve("example.com");
        clock.advance(Duration.ofSeconds(61));
        assertThat(resolver.resolve("example.com").source()).isEqualTo(Source.FETCHED);
        assertThat(fetcher.fetches).isEqualTo(2);
    }

    @Test
    void refreshRefetchesWithTheSameIdAndExtendsTheLifetime() {
        dns.record("v=STSv1; id=one");
        fetcher.next = new Fetched(policy("mx1.example.com", 3600));
        resolver.resolve("example.com");
        clock.advance(Duration.ofMinutes(50));
        MtaStsResolver.Resolution r = resolver.refresh("example.com");
        assertThat(r.source()).isEqualTo(Source.FETCHED);
        assertThat(r.policy().orElseThrow().expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(50)).plusSeconds(3600));
        assertThat(cache.domains()).containsExactly("example.com");
    }

    @Test
    void firstFetchFailureMeansNoPolicy() {
        dns.record("v=STSv1; id=one");
        fetcher.next = new Failed(Kind.FETCH_ERROR, "HTTP status 404");
        MtaStsResolver.Resolution r = resolver.resolve("example.com");
        assertThat(r.source()).isEqualTo(Source.FETCH_FAILED);
        assertThat(r.policy()).isEmpty();
        assertThat(r.failure()).isPresent();
    }

    @Test
    void worksWithTheZoneResolver() {
        ZoneResolver zone = ZoneResolver.builder().txt("_mta-sts.example.org", "v=STSv1; id=20240101").build();
        fetcher.next = new Fetched(policy("*.example.org", 86400));
        MtaStsResolver r = new MtaStsResolver(zone, fetcher, clock, cache);
        assertThat(r.policy("example.org")).map(p -> p.mxMatches("mx.example.org")).contains(true);
        assertThat(r.policy("invalid..name")).isEmpty();
    }
}
