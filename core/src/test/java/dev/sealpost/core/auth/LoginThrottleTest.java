package dev.sealpost.core.auth;

import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);
    private final InetAddress ip = ip("192.0.2.10");

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s); // literals only: no DNS
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<Long> delaysFor(int failures, InetAddress from, String account) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            throttle.failed(from, account);
            out.add(throttle.delayFor(from, account).toSeconds());
        }
        return out;
    }

    @Test
    void delayGrowsExponentiallyAfterTwoFreeFailuresAndIsCapped() {
        assertThat(throttle.delayFor(ip, "a@x")).isZero();
        assertThat(delaysFor(8, ip, "a@x")).containsExactly(0L, 0L, 1L, 2L, 4L, 8L, 15L, 15L);
    }

    @Test
    void successResetsThePair() {
        delaysFor(5, ip, "a@x");
        throttle.succeeded(ip, "A@X");
        assertThat(throttle.delayFor(ip, "a@x")).isZero();
        assertThat(delaysFor(3, ip, "a@x")).containsExactly(0L, 0L, 1L);
    }

    @Test
    void successOfAnotherAddressDoesNotResetAnAttackersCount() {
        InetAddress attacker = ip("198.51.100.7");
        delaysFor(5, attacker, "a@x");
        throttle.succeeded(ip, "a@x");
        assertThat(throttle.delayFor(attacker, "a@x")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void guessingOneAccountFromManyAddressesIsSlowed() {
        for (int i = 1; i <= 4; i++) throttle.failed(ip("203.0.113." + i), "victim@x");
        assertThat(throttle.delayFor(ip("203.0.113.99"), "victim@x")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void sprayingManyAccountsFromOneAddressIsSlowed() {
        for (int i = 0; i < 4; i++) throttle.failed(ip, "user" + i + "@x");
        assertThat(throttle.delayFor(ip, "fresh@x")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void failuresDecayAfterAQuietWindow() {
        delaysFor(6, ip, "a@x");
        clock.advance(Duration.ofMinutes(9));
        assertThat(throttle.delayFor(ip, "a@x")).isEqualTo(Duration.ofSeconds(8));
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.delayFor(ip, "a@x")).isZero();
    }

    @Test
    void blocksAnAddressAfterFiftyFailures() {
        for (int i = 0; i < 49; i++) throttle.failed(ip, "u" + i);
        assertThat(throttle.blocked(ip)).isFalse();
        throttle.failed(ip, "u49");
        assertThat(throttle.blocked(ip)).isTrue();
        assertThat(throttle.blocked(ip("192.0.2.11"))).isFalse();
        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.blocked(ip)).isFalse();
    }

    @Test
    void ipv6IsCountedPerSlash64() {
        for (int i = 0; i < 50; i++) throttle.failed(ip("2001:db8:1:2::" + Integer.toHexString(i + 1)), "");
        assertThat(throttle.blocked(ip("2001:db8:1:2:ffff::1"))).isTrue();
        assertThat(throttle.blocked(ip("2001:db8:1:3::1"))).isFalse();
        assertThat(LoginThrottle.ipKey(ip("2001:db8:1:2:aaaa::5"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
    }

    @Test
    void memoryIsBoundedByEvictingTheOldest() {
        var small = new LoginThrottle(clock, new LoginThrottle.Settings(2, Duration.ofSeconds(1),
                Duration.ofSeconds(15), Duration.ofMinutes(10), 3, 100));
        InetAddress first = ip("10.0.0.1");
        for (int k = 0; k < 3; k++) small.failed(first, "x");
        assertThat(small.blocked(first)).isTrue();
        for (int i = 0; i < 1000; i++) {
            clock.advance(Duration.ofMillis(1));
            small.failed(ip("10.1." + (i / 256) + "." + (i % 256)), "acct" + i);
        }
        assertThat(small.trackedAddresses()).isEqualTo(100);
        assertThat(small.blocked(first)).isFalse(); // evicted, the oldest entry
    }

    @Test
    void concurrentFailuresAreAllCounted() throws Exception {
        var t = new LoginThrottle(clock, new LoginThrottle.Settings(2, Duration.ofSeconds(1),
                Duration.ofSeconds(15), Duration.ofMinutes(10), 4000, 1000));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                int n = i;
                fs.add(pool.submit(() -> t.failed(ip, "user" + (n % 50))));
            }
            for (Future<?> f : fs) f.get();
        }
        assertThat(t.blocked(ip)).isTrue();
    }
}
