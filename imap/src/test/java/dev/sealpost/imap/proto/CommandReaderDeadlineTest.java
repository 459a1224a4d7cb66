package dev.sealpost.imap.proto;

import dev.sealpost.core.io.CommandDeadline;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reliability finding 5 on IMAP: CommandReader begins the deadline of each command (and each raw line, as IDLE's DONE). */
class CommandReaderDeadlineTest {

    @Test
    void aDripFedCommandFailsAtItsDeadlineWhileAWaitBeforeACommandDoesNot() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
             Socket server = ss.accept()) {
            server.setSoTimeout(30_000); // the session's idle timeout
            CommandDeadline in = new CommandDeadline(server.getInputStream(), server, new CommandDeadline.Settings(Duration.ofMillis(1000), 1024));
            CommandReader r = new CommandReader(in, ReaderLimits.defaults(), null, () -> { });
            OutputStream out = client.getOutputStream();
            Thread.sleep(1200); // idle before the first command: longer than the deadline, not counted
            out.write("a1 NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.read().name()).isEqualToIgnoringCase("NOOP");
            Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : "a2 CAPABILITY".getBytes(StandardCharsets.US_ASCII)) { // never a line end
                        out.write(b);
                        out.flush();
                        Thread.sleep(150);
                    }
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            long t0 = System.nanoTime();
            assertThatThrownBy(r::read).isInstanceOf(CommandDeadline.DeadlineExceededException.class);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(700L, 5000L);
        }
    }
}
