package dev.sealpost.core.net;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A flood of refusals makes a few log lines, and the counting memory stays bounded. */
class RefusalLogTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** Records info lines (the message with its arguments) and ignores everything else. */
    private final Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
                if (method.getName().equals("info") && args != null) {
                    StringBuilder sb = new StringBuilder(String.valueOf(args[0]));
                    for (int i = 1; i < args.length; i++) {
                        Object[] vals = args[i] instanceof Object[] a ? a : new Object[] {args[i]};
                        for (Object v : vals) {
                            int at = sb.indexOf("{}");
                            if (at >= 0) sb.replace(at, at + 2, String.valueOf(v));
                        }
                    }
                    lines.add(sb.toString());
                }
                return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });

    private static InetAddress address(int i) {
        return InetAddress.ofLiteral("10.0." + (i / 250) + "." + (i % 250));
    }

    @Test
    void aFloodIsOneLineThenOneSummaryPerInterval() throws Exception {
        ConnectionLimits limits = ConnectionLimits.defaults();
        RefusalLog r = new RefusalLog("SMTP", log, Duration.ofHours(1)); // the test plays the interval's end: flush()
        for (int i = 0; i < 5000; i++) {
            r.refused(i % 3 == 0 ? address(0) : address(i % 1500), TcpListener.Refusal.TOO_MANY_FROM_ADDRESS, limits);
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).isEqualTo("SMTP connection from 10.0.0.0 refused: too many connections from this address"
                + " (max_connections_per_ip 50); further refusals are summarized every 3600 s");
        assertThat(r.flush()).isTrue();
        assertThat(lines).hasSize(2);
        // 1,001 addresses in the flood: 1,000 counted one by one, the last one (3 refusals) with the rest
        assertThat(lines.get(1)).startsWith("SMTP refused 4999 more connections since the previous line {TOO_MANY_FROM_ADDRESS=4999}: 10.0.0.0 x1666, ")
                .endsWith(" and 990 more addresses; 3 from further addresses");
        // quiet for an interval: the next refusal is logged at once again
        assertThat(r.flush()).isFalse();
        r.refused(address(7), TcpListener.Refusal.LISTENER_FULL, limits);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).contains("10.0.0.7 refused: too many connections in all (max_connections 5000)");
        r.refused(address(8), TcpListener.Refusal.TOO_FAST_FROM_ADDRESS, limits);
        r.close(); // writes what is pending
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3)).isEqualTo("SMTP refused 1 more connection since the previous line {TOO_FAST_FROM_ADDRESS=1}: 10.0.0.8 x1");
    }
}
