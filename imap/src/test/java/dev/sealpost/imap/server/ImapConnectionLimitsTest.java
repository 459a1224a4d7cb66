package dev.sealpost.imap.server;

import dev.sealpost.core.net.ConnectionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Connection limits on IMAP: over a limit, {@code * BYE [UNAVAILABLE]} instead of the greeting (RFC 9051 §7.1.5). */
class ImapConnectionLimitsTest extends ImapTestBase {
    private static final String TOO_MANY = "* BYE [UNAVAILABLE] Too many connections from your address";

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
    void theConnectionOverThePerAddressCapGetsByeWhileTheFirstOnesAndOtherAddressesAreServed() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withMaxConnectionsPerIp(2))).port();
        Socket a = connect(port, "127.0.0.1");
        Socket b = connect(port, "127.0.0.1");
        assertThat(line(a)).startsWith("* OK");
        assertThat(line(b)).startsWith("* OK");
        Socket c = connect(port, "127.0.0.1");
        assertThat(line(c)).isEqualTo(TOO_MANY);
        assertClosed(c);
        assertThat(say(a, "a1 NOOP")).isEqualTo("a1 OK NOOP completed");
        Socket other = connect(port, "127.0.0.2");
        assertThat(line(other)).startsWith("* OK");
    }

    @Test
    void theConnectionOverTheRateGetsBye() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withConnectionRatePerIp(1))).port();
        Socket a = connect(port, "127.0.0.1");
        assertThat(line(a)).startsWith("* OK");
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo("* BYE [UNAVAILABLE] Too many new connections from your address, try again later");
        assertThat(line(connect(port, "127.0.0.2"))).startsWith("* OK");
    }

    @Test
    void aClientThatNeverReadsStillGetsTheBye() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withMaxConnectionsPerIp(1))).port();
        assertThat(line(connect(port, "127.0.0.1"))).startsWith("* OK");
        Socket silent = connect(port, "127.0.0.1");
        silent.getOutputStream().write('a');
        assertThat(line(connect(port, "127.0.0.2"))).startsWith("* OK");
        assertThat(line(silent)).isEqualTo(TOO_MANY);
    }

    @Test
    void imapsRefusesWithoutACleartextReplyAndDefaultsAreShared() {
        assertThat(ImapServer.refusals(config(true, false))).isEmpty();
        assertThat(config(false, false).connections()).isEqualTo(ConnectionLimits.defaults());
    }
}
