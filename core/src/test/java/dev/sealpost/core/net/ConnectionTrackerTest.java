package dev.sealpost.core.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sealpost.core.net.TcpListener.Refusal.LISTENER_FULL;
import static dev.sealpost.core.net.TcpListener.Refusal.TOO_FAST_FROM_ADDRESS;
import static dev.sealpost.core.net.TcpListener.Refusal.TOO_MANY_FROM_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admission rules and the memory bound of {@link ConnectionTracker}, on a pinned clock. */
class ConnectionTrackerTest {
    private static final InetAddress A = ip("192.0.2.1");
    private static final InetAddress B = ip("192.0.2.2");
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private ConnectionTracker tracker(ConnectionLimits limits, int maxIdle) {
        return new ConnectionTracker(limits, now::get, maxIdle);
    }

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void perAddressCapCountsOpenConnectionsOnly() {
        ConnectionTracker t = tracker(ConnectionLimits.none().withMaxConnectionsPerIp(3), 100);
        for (int i = 0; i < 3; i++) assertThat(t.admit(A, false)).isNull();
        assertThat(t.admit(A, false)).isEqualTo(TOO_MANY_FROM_ADDRESS);
        assertThat(t.admit(B, false)).isNull(); // another address has its own count
        t.release(A, false);
        assertThat(t.admit(A, false)).isNull();
        assertThat(t.total()).isEqualTo(4);
        for (int i = 0; i < 3; i++) t.release(A, false);
        t.release(B, false);
        assertThat(t.total()).isZero();
        assertThat(t.trackedAddresses()).isZero(); // no rate limit: nothing kept once closed
    }

    @Test
    void rateIsATokenBucketPerMinute() {
        ConnectionTracker t = tracker(ConnectionLimits.none().withConnectionRatePerIp(3), 100);
        for (int i = 0; i < 3; i++) {
            assertThat(t.admit(A, false)).isNull();
            t.release(A, false); // short connections: only the rate can stop them
        }
        assertThat(t.admit(A, false)).isEqualTo(TOO_FAST_FROM_ADDRESS);
        assertThat(t.admit(B, false)).isNull();
        advanceSeconds(20); // a third of a minute: one token back
        assertThat(t.admit(A, false)).isNull();
        assertThat(t.admit(A, false)).isEqualTo(TOO_FAST_FROM_ADDRESS);
        t.release(A, false);
        advanceSeconds(60);
        for (int i = 0; i < 3; i++) assertThat(t.admit(A, false)).isNull();
        assertThat(t.admit(A, false)).isEqualTo(TOO_FAST_FROM_ADDRESS);
    }

    @Test
    void exemptNetworksSkipThePerAddressLimitsButCountInTheTotal() {
        ConnectionTracker t = tracker(new ConnectionLimits(1, 1, 3, List.of(Cidr.parse("192.0.2.0/30").orElseThrow())), 100);
        assertThat(t.admit(A, true)).isNull();
        assertThat(t.admit(A, true)).isNull(); // over the per-IP cap and the rate, but exempt
        assertThat(t.admit(B, false)).isNull();
        assertThat(t.admit(ip("198.51.100.1"), false)).isEqualTo(LISTENER_FULL); // the total cap applies to all
        assertThat(t.admit(A, true)).isEqualTo(LISTENER_FULL);
        t.release(A, true);
        assertThat(t.admit(ip("198.51.100.1"), false)).isNull();
    }

    @Test
    void listenerFullComesFirstAndCountsNothing() {
        ConnectionTracker t = tracker(ConnectionLimits.none().withMaxConnections(2).withConnectionRatePerIp(2), 100);
        assertThat(t.admit(A, false)).isNull();
        assertThat(t.admit(B, false)).isNull();
        assertThat(t.admit(A, false)).isEqualTo(LISTENER_FULL);
        t.release(B, false);
        assertThat(t.admit(A, false)).isNull(); // the refused try did not use A's second token
    }

    @Test
    void anAddressSprayingFloodCannotGrowTheTablePastItsCap() {
        ConnectionTracker t = tracker(ConnectionLimits.none().withConnectionRatePerIp(10).withMaxConnectionsPerIp(5), 100);
        byte[] v6 = ip("2001:db8::").getAddress();
        for (int i = 0; i < 20_000; i++) { // one address in each of 20,000 /64s (within one /64 they are one client)
            v6[6] = (byte) (i >> 8);
            v6[7] = (byte) i;
            InetAddress sprayed;
            try {
                sprayed = InetAddress.getByAddress(v6);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
            assertThat(t.admit(sprayed, false)).isNull();
            t.release(sprayed, false);
            assertThat(t.trackedAddresses()).isLessThanOrEqualTo(100);
        }
        assertThat(t.evictions()).isEqualTo(20_000 - 100);
        // the live counts are never evicted: the per-IP cap holds while the flood goes on
        for (int i = 0; i < 5; i++) assertThat(t.admit(A, false)).isNull();
        for (int i = 0; i < 200; i++) {
            InetAddress sprayed = ip("198.51.100." + (i % 250));
            if (t.admit(sprayed, false) == null) t.release(sprayed, false);
        }
        assertThat(t.admit(A, false)).isEqualTo(TOO_MANY_FROM_ADDRESS);
        // idle buckets are full again after a minute and dropped
        advanceSeconds(61);
        t.release(A, false);
        assertThat(t.trackedAddresses()).isEqualTo(1); // A, still with 4 open connections
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new ConnectionLimits(-1, 0, 0, List.of())).hasMessageContaining("maxConnectionsPerIp");
        assertThatThrownBy(() -> new ConnectionLimits(0, -1, 0, List.of())).hasMessageContaining("connectionRatePerIp");
        assertThatThrownBy(() -> new ConnectionLimits(0, 0, -1, List.of())).hasMessageContaining("maxConnections");
        assertThat(ConnectionLimits.defaults().maxConnectionsPerIp()).isEqualTo(50);
        assertThat(ConnectionLimits.defaults().exempt(InetAddress.getLoopbackAddress())).isFalse(); // loopback only by configuration
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        ConnectionTracker t = tracker(ConnectionLimits.none().withMaxConnectionsPerIp(2), 100);
        // RFC 8981 privacy addresses: one host, many addresses in its /64
        assertThat(t.admit(ip("2001:db8:1:2::1"), false)).isNull();
        assertThat(t.admit(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), false)).isNull();
        assertThat(t.admit(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), false)).isEqualTo(TOO_MANY_FROM_ADDRESS);
        assertThat(t.admit(ip("2001:db8:1:3::1"), false)).isNull(); // the next /64 is another client
        assertThat(t.admit(A, false)).isNull(); // IPv4 per address as before
        assertThat(t.admit(B, false)).isNull();
        t.release(ip("2001:db8:1:2::1"), false); // released under another address of the same /64: the same count
        assertThat(t.admit(ip("2001:db8:1:2::77"), false)).isNull();
        assertThat(t.trackedAddresses()).isEqualTo(4); // 2001:db8:1:2::/64, 2001:db8:1:3::/64, A, B
    }

    @Test
    void theRateAndThePrefixLengthFollowTheSetting() {
        ConnectionTracker rate = tracker(ConnectionLimits.none().withConnectionRatePerIp(2), 100);
        for (int i = 1; i <= 2; i++) {
            assertThat(rate.admit(ip("2001:db8::" + i), false)).isNull();
            rate.release(ip("2001:db8::" + i), false);
        }
        assertThat(rate.admit(ip("2001:db8::3"), false)).isEqualTo(TOO_FAST_FROM_ADDRESS);

        ConnectionTracker perAddress = tracker(ConnectionLimits.none().withMaxConnectionsPerIp(1).withIpv6PrefixLength(128), 100);
        assertThat(perAddress.admit(ip("2001:db8::1"), false)).isNull();
        assertThat(perAddress.admit(ip("2001:db8::2"), false)).isNull();
        assertThat(perAddress.admit(ip("2001:db8::1"), false)).isEqualTo(TOO_MANY_FROM_ADDRESS);

        ConnectionTracker site = tracker(ConnectionLimits.none().withMaxConnectionsPerIp(1).withIpv6PrefixLength(56), 100);
        assertThat(site.admit(ip("2001:db8:0:1100::1"), false)).isNull();
        assertThat(site.admit(ip("2001:db8:0:11ff::1"), false)).isEqualTo(TOO_MANY_FROM_ADDRESS); // same /56
        assertThat(site.admit(ip("2001:db8:0:1200::1"), false)).isNull();
    }

    @Test
    void clientKeys() {
        ConnectionLimits l = ConnectionLimits.defaults();
        assertThat(l.ipv6PrefixLength()).isEqualTo(64);
        assertThat(l.clientKey(ip("2001:db8:1:2:3:4:5:6"))).isEqualTo(ip("2001:db8:1:2::"));
        assertThat(l.clientKey(ip("::ffff:192.0.2.9"))).isEqualTo(ip("192.0.2.9")); // IPv4-mapped: an IPv4 client
        assertThat(l.clientKey(ip("fe80::1%1"))).isEqualTo(ip("fe80::")); // no scope in the key
        assertThat(l.clientKey(A)).isSameAs(A);
        assertThat(l.withIpv6PrefixLength(128).clientKey(ip("2001:db8::5"))).isEqualTo(ip("2001:db8::5"));
        assertThat(l.withIpv6PrefixLength(61).clientKey(ip("2001:db8:1:ffff::"))).isEqualTo(ip("2001:db8:1:fff8::"));
        assertThatThrownBy(() -> l.withIpv6PrefixLength(8)).hasMessageContaining("ipv6PrefixLength");
        assertThatThrownBy(() -> l.withIpv6PrefixLength(129)).hasMessageContaining("ipv6PrefixLength");
    }
}
