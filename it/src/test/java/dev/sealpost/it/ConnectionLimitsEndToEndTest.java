package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole server with the connection-limit keys of conf/sealpost.toml set low (issue 11): each
 * listener refuses in its own protocol, counts per listener, and other addresses go on.
 */
class ConnectionLimitsEndToEndTest {
    @TempDir
    Path dir;

    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws IOException {
        for (Socket s : clients) s.close();
    }

    /** A client socket from {@code from} (127.0.0.1 or 127.0.0.2: loopback is one /8 on Linux). */
    private Socket connect(int port, String from) throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.bind(new InetSocketAddress(InetAddress.ofLiteral(from), 0));
        s.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String line(Socket s) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = s.getInputStream().read()) >= 0 && c != '\n') sb.append((char) c);
        return sb.toString().strip();
    }

    private static String say(Socket s, String command) throws IOException {
        s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return line(s);
    }

    private static void assertClosed(Socket s) throws IOException {
        assertThat(s.getInputStream().read()).isEqualTo(-1);
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
