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
        for (int i = 0; i < 20_000; i++) {
            v6[14] = (byte) (i >> 8);
            v6[15] = (byte) i;
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
}
