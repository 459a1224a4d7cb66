package dev.sealpost.core.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TcpListener} enforcing {@link ConnectionLimits} on real loopback sockets (127.0.0.1 and 127.0.0.2). */
class TcpListenerLimitsTest {
    private static final InetAddress LOCAL_1 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress LOCAL_2 = InetAddress.ofLiteral("127.0.0.2");

    /** Greets with "+", then echoes each byte until EOF. */
    private record Echo(String id, Socket socket, Runnable onEnd) implements Runnable {
        @Override
        public void run() {
            try (socket) {
                socket.getOutputStream().write('+');
                socket.getOutputStream().flush();
                int b;
                while ((b = socket.getInputStream().read()) >= 0) {
                    socket.getOutputStream().write(b);
                    socket.getOutputStream().flush();
                }
            } catch (IOException ignored) {
                // closed under us
            } finally {
                onEnd.run();
            }
        }
    }

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private TcpListener<Echo> start(ConnectionLimits limits) throws IOException {
        return start(limits, LOCAL_1);
    }

    private TcpListener<Echo> start(ConnectionLimits limits, InetAddress bind) throws IOException {
        AtomicInteger n = new AtomicInteger();
        TcpListener<Echo> l = new TcpListener<>("TEST", new InetSocketAddress(bind, 0), LoggerFactory.getLogger(getClass()),
                Echo::id, (s, onEnd) -> new Echo("e" + n.incrementAndGet(), s, onEnd), limits,
                why -> ("NO " + why + "\r\n").getBytes(StandardCharsets.US_ASCII));
        open.add(l);
        l.bind();
        l.startAccepting();
        return l;
    }

    private Socket connect(TcpListener<?> l, InetAddress from) throws IOException {
        return connect(l, from, from instanceof java.net.Inet6Address ? from : LOCAL_1);
    }

    private Socket connect(TcpListener<?> l, InetAddress from, InetAddress to) throws IOException {
        Socket s = new Socket();
        open.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(to, l.port()), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static void assertServed(Socket s) throws IOException {
        assertThat(s.getInputStream().read()).isEqualTo('+');
        s.getOutputStream().write('x');
        assertThat(s.getInputStream().read()).isEqualTo('x');
    }

    @Test
    void theConnectionOverThePerAddressCapIsAnsweredAndClosedWhileTheOthersGoOn() throws Exception {
        TcpListener<Echo> l = start(ConnectionLimits.none().withMaxConnectionsPerIp(3));
        List<Socket> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = connect(l, LOCAL_1);
            assertThat(s.getInputStream().read()).isEqualTo('+');
            first.add(s);
        }
        Socket over = connect(l, LOCAL_1);
        assertThat(readAll(over)).isEqualTo("NO TOO_MANY_FROM_ADDRESS\r\n");
        for (Socket s : first) { // still served
            s.getOutputStream().write('y');
            assertThat(s.getInputStream().read()).isEqualTo('y');
        }
        assertServed(connect(l, LOCAL_2)); // another address has its own count
        first.getFirst().close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (l.openSessions() > 3 && System.nanoTime() < deadline) Thread.sleep(10);
        assertServed(connect(l, LOCAL_1)); // a slot is free again once a session has ended
        assertThat(l.refusedConnections()).isEqualTo(1);
    }

    @Test
    void theConnectionOverTheRateIsAnswered() throws Exception {
        TcpListener<Echo> l = start(ConnectionLimits.none().withConnectionRatePerIp(2));
        for (int i = 0; i < 2; i++) {
            try (Socket s = connect(l, LOCAL_1)) {
                assertServed(s);
            }
        }
        assertThat(readAll(connect(l, LOCAL_1))).isEqualTo("NO TOO_FAST_FROM_ADDRESS\r\n");
        assertServed(connect(l, LOCAL_2));
    }

    @Test
    void exemptNetworksAndTheTotalCap() throws Exception {
        TcpListener<Echo> l = start(new ConnectionLimits(1, 0, 3, List.of(Cidr.parse("127.0.0.2/32").orElseThrow())));
        assertServed(connect(l, LOCAL_2));
        assertServed(connect(l, LOCAL_2)); // exempt from the per-IP cap of 1
        assertServed(connect(l, LOCAL_1));
        assertThat(readAll(connect(l, LOCAL_2))).isEqualTo("NO LISTENER_FULL\r\n"); // the total cap holds for all
    }

    @Test
    void refusalsAreAnsweredEvenWhenTheClientNeverReadsAndDoNotHoldTheAcceptLoop() throws Exception {
        TcpListener<Echo> l = start(ConnectionLimits.none().withMaxConnectionsPerIp(1));
        assertServed(connect(l, LOCAL_1));
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket s = new Socket();
            open.add(s);
            s.setReceiveBufferSize(1); // the kernel's minimum: a client that takes as little as it can
            s.bind(new InetSocketAddress(LOCAL_1, 0));
            s.connect(new InetSocketAddress(LOCAL_1, l.port()), 5000);
            s.getOutputStream().write('z'); // and talks, and never reads
            silent.add(s);
        }
        long t0 = System.nanoTime();
        assertServed(connect(l, LOCAL_2)); // the accept loop went on
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        for (Socket s : silent) { // the reply waited for them, then EOF
            s.setSoTimeout(5000);
            assertThat(readAll(s)).isEqualTo("NO TOO_MANY_FROM_ADDRESS\r\n");
        }
    }

    /**
     * Over real IPv6 sockets: the cap counts ::1 by its /64 (the key path every protocol's
     * listener takes); another /64 of this host, when it has one, has its own count. This host has
     * one address per /64, so the joining of addresses within one /64 is shown by
     * ConnectionTrackerTest, not here.
     */
    @Test
    void ipv6ClientsAreCountedByPrefixOverRealSockets() throws Exception {
        InetAddress v6loop = InetAddress.ofLiteral("::1");
        TcpListener<Echo> l = start(ConnectionLimits.none().withMaxConnectionsPerIp(1), InetAddress.ofLiteral("::"));
        assertServed(connect(l, v6loop));
        assertThat(readAll(connect(l, v6loop))).isEqualTo("NO TOO_MANY_FROM_ADDRESS\r\n");
        InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> i.inetAddresses()).filter(a -> a instanceof java.net.Inet6Address
                        && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst().orElse(null);
        if (other != null) assertServed(connect(l, other, other));
        assertServed(connect(l, LOCAL_2, LOCAL_2)); // IPv4 on the dual-stack listener: per address
        assertThat(l.refusedConnections()).isEqualTo(1);
    }
}
