package dev.sealpost.imap.server;

import dev.sealpost.core.io.CommandDeadline;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** imap.command_deadline_seconds reaches the session: a drip-fed command is ended with BYE at its deadline. */
class ImapDeadlineTest extends ImapTestBase {
    @Test
    void aCommandDripFedPastItsDeadlineEndsTheSession() throws Exception {
        ImapServerConfig c = config(false, true);
        c = c.withLimits(c.limits().withDeadline(new CommandDeadline.Settings(Duration.ofSeconds(1), 1024)));
        int port = start(c).port();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf); // greeting
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("* OK");
            long start = System.nanoTime();
            StringBuilder got = new StringBuilder();
            try {
                for (byte b : "a1 NOOP".getBytes(StandardCharsets.US_ASCII)) { // one octet every 400 ms: 2.8 s for the line
                    out.write(b);
                    out.flush();
                    Thread.sleep(400);
                }
            } catch (java.io.IOException closed) {
                // the server closed the connection while we were still dripping: the expected end
            }
            int r;
            while ((r = in.read(buf)) > 0) got.append(new String(buf, 0, r, StandardCharsets.US_ASCII));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(got.toString()).contains("* BYE").doesNotContain("a1 OK");
            assertThat(ms).isLessThan(8_000);
        }
    }
}
