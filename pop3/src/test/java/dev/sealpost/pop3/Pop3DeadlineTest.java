package dev.sealpost.pop3;

import dev.sealpost.core.io.CommandDeadline;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reliability finding 5: a command line dripped one octet at a time is cut at its deadline, though never idle. */
class Pop3DeadlineTest extends Pop3TestBase {

    @Test
    void aDripFedCommandIsCutAtItsDeadlineAndANormalOneIsNot() throws Exception {
        Pop3Server server = start(config(false, true).withDeadline(new CommandDeadline.Settings(Duration.ofMillis(1500), 1024)));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.line()).startsWith("+OK");
            Thread.sleep(1700); // waiting longer than the deadline before a command is only idle time
            assertThat(c.cmd("NOOP")).startsWith("-ERR"); // not valid before login, but answered
            long t0 = System.nanoTime();
            for (char ch : "CAPA CAPA CAPA CAPA".toCharArray()) { // never idle for 10 minutes, never a whole line
                try {
                    c.sendRaw(String.valueOf(ch).getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    break;
                }
                Thread.sleep(250);
                // drip for 1.2 s only, then wait without a line end: no more octets cross the server's close
                if (System.nanoTime() - t0 > 1_200_000_000L) break;
            }
            assertThat(c.line()).isEqualTo("-ERR Autologout: command took too long");
            assertThatThrownBy(c::line).isInstanceOf(IOException.class);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1000L, 8000L);
        }
    }
}
