package dev.sealpost.core.net;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpListenerTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Writes one byte, then blocks reading until the socket closes. */
    private record Blocking(String id, Socket socket, Runnable onEnd) implements Runnable {
        @Override
        public void run() {
            try (socket) {
                socket.getOutputStream().write('+');
                socket.getOutputStream().flush();
                while (socket.getInputStream().read() >= 0) {
                    // until EOF or the listener closes the socket
                }
            } catch (IOException ignored) {
                // closed under us
            } finally {
                onEnd.run();
            }
        }
    }

    private static TcpListener<Blocking> listener(ConnectionLimits limits, AtomicInteger made) {
        return new TcpListener<>("TEST", LOOPBACK, LoggerFactory.getLogger(TcpListenerTest.class), Blocking::id,
                (s, onEnd) -> {
                    if (made.incrementAndGet() == 1) throw new IllegalStateException("first session fails");
                    return new Blocking("s" + made.get(), s, onEnd);
                }, limits, why -> null);
    }

    private static int firstByte(Socket s) throws IOException {
        s.setSoTimeout(5000);
        return s.getInputStream().read();
    }

    @Test
    void runsSessionsLimitsPerAddressAndAbortsThemOnClose() throws Exception {
        AtomicInteger made = new AtomicInteger();
        TcpListener<Blocking> l = listener(ConnectionLimits.none().withMaxConnectionsPerIp(1), made);
        assertThatThrownBy(l::port).isInstanceOf(IllegalStateException.class);
        InetSocketAddress bound = l.bind();
        assertThatThrownBy(l::bind).isInstanceOf(IllegalStateException.class);
        l.startAccepting();
        assertThat(bound.getPort()).isEqualTo(l.port()).isPositive();

        // a factory that throws: the connection is closed, the listener goes on
        try (Socket failed = new Socket(InetAddress.getLoopbackAddress(), l.port())) {
            assertThat(firstByte(failed)).isEqualTo(-1);
        }
        try (Socket a = new Socket(InetAddress.getLoopbackAddress(), l.port());
             Socket b = new Socket(InetAddress.getLoopbackAddress(), l.port())) {
            assertThat(firstByte(a)).isEqualTo('+');
            assertThat(firstByte(b)).isEqualTo(-1); // second from the same address: refused, no reply
            assertThat(l.refusedConnections()).isEqualTo(1);
            assertThat(l.openSessions()).isEqualTo(1);
            assertThat(l.sessions()).extracting(Blocking::id).containsExactly("s2");

            long t0 = System.nanoTime();
            l.close(); // the session is blocked in read: closing its socket ends it
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1900);
            assertThat(l.openSessions()).isZero();
            InputStream in = a.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
        l.close(); // twice is fine
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), l.port())).isInstanceOf(IOException.class);
    }

    @Test
    void closeBeforeStartIsHarmless() {
        TcpListener<Blocking> l = listener(ConnectionLimits.none(), new AtomicInteger());
        l.close();
        assertThat(l.openSessions()).isZero();
    }
}
