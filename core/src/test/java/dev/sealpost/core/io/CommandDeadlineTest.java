package dev.sealpost.core.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandDeadlineTest {

    private interface Body {
        void run(Socket server, OutputStream client) throws Exception;
    }

    private static void pair(Body body) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
             Socket s = ss.accept()) {
            body.run(s, c.getOutputStream());
        }
    }

    @Test
    void aDripFeedingClientIsCutAtTheDeadlineThoughNeverIdleForTheIdleTimeout() throws Exception {
        pair((server, client) -> {
            server.setSoTimeout(10_000); // the session's idle timeout
            CommandDeadline d = new CommandDeadline(server.getInputStream(), server, new CommandDeadline.Settings(Duration.ofMillis(800), 1_000_000));
            Thread dripper = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        client.write('x');
                        client.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // ends with the test
                }
            });
            d.begin();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> {
                while (d.read() >= 0) { /* one octet at a time */ }
            }).isInstanceOf(CommandDeadline.DeadlineExceededException.class).isInstanceOf(SocketTimeoutException.class);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(600L, 3000L);
            assertThat(server.getSoTimeout()).isEqualTo(10_000); // the idle timeout is put back
            dripper.interrupt();
        });
    }

    @Test
    void theWaitBeforeTheFirstOctetIsUnderTheIdleTimeoutOnlyAndBeginRestartsTheClock() throws Exception {
        pair((server, client) -> {
            server.setSoTimeout(5_000);
            CommandDeadline d = new CommandDeadline(server.getInputStream(), server, new CommandDeadline.Settings(Duration.ofMillis(500), 1_000_000));
            d.begin();
            Thread.sleep(700); // longer than the deadline, but no octet yet: not armed
            client.write("ab".getBytes());
            assertThat(d.read()).isEqualTo('a');
            assertThat(d.read()).isEqualTo('b');
            Thread.sleep(600);
            d.begin(); // the next command: a fresh deadline
            client.write('c');
            assertThat(d.read()).isEqualTo('c');
        });
    }

    @Test
    void octetsReadExtendTheDeadlineAtTheMinimumRate() throws Exception {
        pair((server, client) -> {
            server.setSoTimeout(5_000);
            // 300 ms + 1 ms per octet (1000 octets/s): 100 octets every 50 ms keeps well ahead
            CommandDeadline d = new CommandDeadline(server.getInputStream(), server, new CommandDeadline.Settings(Duration.ofMillis(300), 1000));
            d.begin();
            byte[] chunk = new byte[100];
            byte[] buf = new byte[4096];
            long got = 0;
            for (int i = 0; i < 20; i++) { // 1 s in all: past the 300 ms base
                client.write(chunk);
                client.flush();
                while (got < (i + 1) * 100L) got += Math.max(0, d.read(buf, 0, buf.length));
                Thread.sleep(50);
            }
            assertThat(got).isEqualTo(2000);
        });
    }

    @Test
    void withoutBeginOnlyTheIdleTimeoutApplies() throws Exception {
        pair((server, client) -> {
            server.setSoTimeout(300);
            InputStream d = new CommandDeadline(server.getInputStream(), server, new CommandDeadline.Settings(Duration.ofMillis(1), 1));
            assertThatThrownBy(d::read).isInstanceOf(SocketTimeoutException.class)
                    .isNotInstanceOf(CommandDeadline.DeadlineExceededException.class);
        });
    }
}
