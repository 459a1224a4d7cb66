package dev.sealpost.it;

import dev.sealpost.testkit.LoopbackClients;
import dev.sealpost.smtp.server.ListenerKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;

import static dev.sealpost.testkit.LoopbackClients.closedByPeer;
import static dev.sealpost.testkit.LoopbackClients.line;
import static dev.sealpost.testkit.LoopbackClients.say;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole server with the connection-limit keys of conf/sealpost.toml set low (issue 11): each
 * listener refuses in its own protocol, counts per listener, and other addresses go on.
 */
class ConnectionLimitsEndToEndTest {
    @TempDir
    Path dir;

    private final LoopbackClients clients = new LoopbackClients();

    @AfterEach
    void closeClients() throws IOException {
        clients.close();
    }

    private Socket connect(int port, String from) throws IOException {
        return clients.connect(port, from);
    }

    private static void assertClosed(Socket s) throws IOException {
        assertThat(closedByPeer(s)).as("closed by the server").isTrue();
    }

    @Test
    void configuredLimitsReachEveryListenerKind() throws Exception {
        try (TestServer s = new TestServer(dir, "max_connections_per_ip = 2\n", "$TTL 300\n",
                "[imap]\nmax_connections_per_ip = 1\n[pop3]\nconnection_rate_per_ip = 1\n")) {
            int mx = s.port(ListenerKind.MX);
            assertThat(line(connect(mx, "127.0.0.1"))).startsWith("220 ");
            assertThat(line(connect(mx, "127.0.0.1"))).startsWith("220 ");
            Socket over = connect(mx, "127.0.0.1");
            assertThat(line(over)).isEqualTo("421 4.7.0 mx.example.test Too many connections from your address");
            assertClosed(over);
            assertThat(line(connect(mx, "127.0.0.2"))).startsWith("220 ");
            // submission is another listener with its own count (same [smtp] keys)
            assertThat(line(connect(s.port(ListenerKind.SUBMISSION), "127.0.0.1"))).startsWith("220 ");

            int imap = s.server.imapPort(false);
            assertThat(line(connect(imap, "127.0.0.1"))).startsWith("* OK");
            assertThat(line(connect(imap, "127.0.0.1"))).isEqualTo("* BYE [UNAVAILABLE] Too many connections from your address");

            int pop3 = s.server.pop3Port(false);
            Socket first = connect(pop3, "127.0.0.1");
            assertThat(line(first)).startsWith("+OK");
            assertThat(say(first, "QUIT")).startsWith("+OK");
            assertThat(line(connect(pop3, "127.0.0.1")))
                    .isEqualTo("-ERR [SYS/TEMP] Too many new connections from your address, try again later");
            assertThat(line(connect(pop3, "127.0.0.2"))).startsWith("+OK");
        }
    }
}
