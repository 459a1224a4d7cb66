package dev.sealpost.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.dns.DnsAnswer.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class AnswerCacheTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private static Name n(String s) {
        return Name.fromConstantString(s);
    }

    @Test
    void expiresAfterTheTtlAndIgnoresZeroTtl() {
        AnswerCache c = new AnswerCache(10, clock);
        c.put(n("a.example."), Type.A, Status.NXDOMAIN, List.of(), true, 30);
        c.put(n("b.example."), Type.A, Status.NXDOMAIN, List.of(), true, 0);
        assertThat(c.get(n("A.EXAMPLE."), Type.A)).get().extracting(AnswerCache.Entry::status).isEqualTo(Status.NXDOMAIN);
        assertThat(c.get(n("a.example."), Type.TXT)).isEmpty();
        assertThat(c.get(n("b.example."), Type.A)).isEmpty();
        now.set(now.get().plus(Duration.ofSeconds(30)));
        assertThat(c.get(n("a.example."), Type.A)).isEmpty();
        assertThat(c.size()).isZero();
    }

    @Test
    void boundedLeastRecentlyUsedFirst() {
        AnswerCache c = new AnswerCache(3, clock);
        for (String s : List.of("a", "b", "c")) c.put(n(s + ".example."), Type.A, Status.NOERROR, List.of(), false, 60);
        c.get(n("a.example."), Type.A); // a is now the most recently used
        c.put(n("d.example."), Type.A, Status.NOERROR, List.of(), false, 60);
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.get(n("b.example."), Type.A)).isEmpty();
        assertThat(c.get(n("a.example."), Type.A)).isPresent();
        assertThat(c.get(n("d.example."), Type.A)).isPresent();
    }
}
